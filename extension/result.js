/* The verdict on text selected anywhere (the context menu): the text, checked as one message. */
(function () {
  'use strict';

  const CP = globalThis.Counterpitch;
  const mount = document.getElementById('panel');
  const style = document.createElement('style');
  style.textContent = CP.panel.CSS.replace(':host { all: initial; }', '');
  document.head.append(style);
  let approach = null;
  let assessment = null;

  const actions = {
    onReport: () => report(),
    onOptions: () => chrome.runtime.openOptionsPage(),
  };

  function draw(state) {
    CP.panel.render(mount, state, actions);
  }

  function errorState(error) {
    const fixable = ['not_configured', 'bad_url', 'unauthorized'].includes(error.kind);
    return { kind: 'error', message: error.message, options: fixable };
  }

  async function report() {
    draw({ kind: 'result', assessment, reporting: true });
    const answer = await chrome.runtime.sendMessage({ type: 'report', approach });
    draw(
      answer.ok
        ? { kind: 'result', assessment, reported: String(answer.data.id) }
        : { kind: 'result', assessment, reportError: answer.error.message },
    );
  }

  async function start() {
    const key = decodeURIComponent(location.hash.slice(1));
    const stored = key.startsWith('selection-') ? await chrome.storage.session.get(key) : {};
    const text = stored[key] ? stored[key].text : '';
    document.getElementById('selected').textContent = text;
    const made = CP.read.selectionApproach(text);
    if (!made.ok) {
      draw({ kind: 'unreadable', reason: made.reason });
      return;
    }
    approach = made.approach;
    draw({ kind: 'busy' });
    const answer = await chrome.runtime.sendMessage({ type: 'assess', approach });
    if (answer.ok) {
      assessment = answer.data;
      draw({ kind: 'result', assessment });
    } else {
      draw(errorState(answer.error));
    }
  }

  start();
})();
