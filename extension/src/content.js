/*
 * On a LinkedIn conversation, InMail or profile page (and nowhere else: see the manifest's matches): a
 * "Check with Counterpitch" button and the verdict panel, both in a closed shadow root. Nothing is read from the
 * page or sent anywhere until the person clicks; the request itself is made by the service worker.
 */
(function () {
  'use strict';

  const CP = globalThis.Counterpitch;
  if (CP.mounted) return;
  CP.mounted = true;

  const host = document.createElement('div');
  host.setAttribute('data-counterpitch', 'host');
  host.style.setProperty('position', 'fixed', 'important');
  host.style.setProperty('top', '72px', 'important');
  host.style.setProperty('right', '16px', 'important');
  host.style.setProperty('z-index', '2147483647', 'important');
  host.style.setProperty('display', 'block', 'important');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CP.panel.CSS;
  const check = document.createElement('button');
  check.type = 'button';
  check.className = 'cp-check';
  check.setAttribute('data-action', 'check');
  check.textContent = 'Check with Counterpitch';
  const mount = document.createElement('div');
  shadow.append(style, check, mount);
  document.documentElement.append(host);

  let approach = null;
  let about = null;
  let state = null;
  // LinkedIn changes conversation without loading a page: a verdict (or one still on its way) belongs to the
  // page it was asked on, and is dropped when the address changes.
  let shownFor = location.href;
  let generation = 0;

  const actions = {
    onReport: () => report(),
    onOptions: () => send({ type: 'options' }),
    onClose: () => close(),
  };

  function close() {
    generation += 1;
    mount.replaceChildren();
    check.hidden = false;
    state = null;
    approach = null;
  }

  setInterval(() => {
    if (location.href !== shownFor) {
      shownFor = location.href;
      if (state) close();
    }
  }, 1000);

  function draw(next) {
    state = next;
    check.hidden = true;
    CP.panel.render(mount, state, actions);
  }

  async function send(message) {
    try {
      const answer = await chrome.runtime.sendMessage(message);
      return answer || { ok: false, error: { kind: 'internal', message: 'The extension did not answer.' } };
    } catch (e) {
      return { ok: false, error: { kind: 'internal', message: 'The extension was updated or stopped: reload this page.' } };
    }
  }

  function errorState(error) {
    const fixable = ['not_configured', 'bad_url', 'unauthorized'].includes(error.kind);
    return { kind: 'error', message: error.message, options: fixable };
  }

  function readPage() {
    const kind = CP.read.pageKind(location.pathname);
    if (!kind) return { ok: false, reason: 'this is not a conversation or a profile' };
    const snapshot =
      kind === 'profile' ? CP.read.readProfile(document, location.href) : CP.read.readConversation(document, location.href);
    return snapshot.ok ? CP.read.toApproach(snapshot) : snapshot;
  }

  async function assess() {
    shownFor = location.href;
    const read = readPage();
    if (!read.ok) {
      draw({ kind: 'unreadable', reason: read.reason });
      return;
    }
    approach = read.approach;
    about = approach.sender ? { name: approach.sender.name, headline: approach.sender.headline } : null;
    const mine = ++generation;
    draw({ kind: 'busy', text: 'Checking with your Counterpitch service…' });
    const answer = await send({ type: 'assess', approach });
    if (mine !== generation) return; // closed, or the page changed, meanwhile
    draw(answer.ok ? { kind: 'result', assessment: answer.data, about } : errorState(answer.error));
  }

  async function report() {
    if (!approach || !state || state.kind !== 'result') return;
    const assessment = state.assessment;
    const mine = generation;
    draw({ kind: 'result', assessment, about, reporting: true });
    const answer = await send({ type: 'report', approach });
    if (mine !== generation) return;
    if (answer.ok) {
      draw({ kind: 'result', assessment, about, reported: String(answer.data.id) });
    } else {
      draw({ kind: 'result', assessment, about, reportError: answer.error.message });
    }
  }

  check.addEventListener('click', () => {
    assess();
  });
})();
