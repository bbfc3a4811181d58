/*
 * The verdict panel. Every text it shows (the sender's words among them) is set with textContent: no HTML is
 * ever parsed from the page, the service or the message. Used inside a closed shadow root on LinkedIn (so no
 * page CSS gets in or out) and on the extension's own result page.
 */
(function (root) {
  'use strict';

  const BANDS = { high: 'High risk', medium: 'Medium risk', low: 'Low risk' };
  const SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 };
  const TOP_FINDINGS = 5;

  const CSS = `
:host { all: initial; }
.cp { all: initial; display: block; box-sizing: border-box; font: 14px/1.4 system-ui, sans-serif; color: #1b1f23;
  background: #fff; border: 1px solid #c9ced6; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
  padding: 12px 14px; width: 360px; max-height: 80vh; overflow: auto; }
.cp * { box-sizing: border-box; }
.cp h2 { font-size: 15px; margin: 0 0 8px; }
.cp p { margin: 6px 0; }
.cp ul { margin: 6px 0; padding-left: 18px; }
.cp li { margin: 6px 0; }
.cp blockquote { margin: 4px 0; padding: 2px 8px; border-left: 3px solid #c9ced6; color: #3d4450; }
.cp button, .cp-check { font: 600 13px system-ui, sans-serif; border-radius: 16px; border: 1px solid #0a66c2;
  background: #0a66c2; color: #fff; padding: 6px 14px; cursor: pointer; margin: 6px 6px 0 0; }
.cp button.secondary { background: #fff; color: #0a66c2; }
.band { display: inline-block; font-weight: 700; padding: 2px 8px; border-radius: 4px; }
.band-high { background: #b3261e; color: #fff; } .band-medium { background: #f0b400; color: #1b1f23; }
.band-low { background: #2e7d32; color: #fff; }
.score { margin-left: 8px; color: #3d4450; }
.severity { font-size: 12px; text-transform: uppercase; color: #5b6470; margin-right: 6px; }
.error { color: #8a1c14; } .done { color: #1e5e23; font-weight: 600; }
`;

  function el(doc, tag, className, text) {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(doc, label, onClick, secondary, name) {
    const b = el(doc, 'button', secondary ? 'secondary' : '', label);
    b.type = 'button';
    if (name) b.setAttribute('data-action', name);
    if (onClick) b.addEventListener('click', onClick);
    return b;
  }

  /** Findings strongest first (severity, then weight), at most `limit`. */
  function topFindings(findings, limit) {
    return (Array.isArray(findings) ? findings.slice() : [])
      .sort(
        (a, b) =>
          (SEVERITY_ORDER[a.severity] ?? 4) - (SEVERITY_ORDER[b.severity] ?? 4) || (b.weight || 0) - (a.weight || 0),
      )
      .slice(0, limit === undefined ? TOP_FINDINGS : limit);
  }

  function renderAssessment(doc, box, a) {
    const head = el(doc, 'p');
    const band = String(a.band || '');
    head.append(el(doc, 'span', `band band-${BANDS[band] ? band : 'unknown'}`, BANDS[band] || band || 'No band'));
    if (typeof a.score === 'number') head.append(el(doc, 'span', 'score', `Score ${Math.round(a.score)} / 100`));
    box.append(head);
    const findings = topFindings(a.findings);
    if (findings.length) {
      box.append(el(doc, 'h2', '', 'What was found'));
      const list = el(doc, 'ul', 'findings');
      for (const f of findings) {
        const item = el(doc, 'li', 'finding');
        const title = el(doc, 'p');
        title.append(el(doc, 'span', 'severity', f.severity || ''), el(doc, 'strong', '', f.title || f.detector || ''));
        item.append(title);
        for (const ev of (f.evidence || []).filter((e) => e && e.quote).slice(0, 3)) {
          item.append(el(doc, 'blockquote', 'evidence', `“${ev.quote}”`));
        }
        if (f.guidance || f.explanation) item.append(el(doc, 'p', 'guidance', f.guidance || f.explanation));
        list.append(item);
      }
      box.append(list);
    } else {
      box.append(el(doc, 'p', '', 'Nothing of concern was found.'));
    }
    if (a.advice) {
      box.append(el(doc, 'h2', '', 'Advice'), el(doc, 'p', 'advice', a.advice));
    }
  }

  /**
   * Draw `state` into `mount` (replacing what was there). States: {kind: 'busy', text}, {kind: 'error', message,
   * options}, {kind: 'unreadable', reason}, {kind: 'result', assessment, about, reported,
   * reportError, reporting} (`about`: the sender's name and headline as read).
   * `actions` may hold onReport, onOptions, onClose.
   */
  function render(mount, state, actions) {
    const doc = mount.ownerDocument;
    const act = actions || {};
    const box = el(doc, 'section', 'cp');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Counterpitch verdict');
    box.append(el(doc, 'h2', '', 'Counterpitch'));
    if (state.kind === 'busy') {
      box.append(el(doc, 'p', 'busy', state.text || 'Checking…'));
    } else if (state.kind === 'error') {
      box.append(el(doc, 'p', 'error', state.message));
      if (state.options && act.onOptions) box.append(button(doc, 'Open the options', act.onOptions, false, 'options'));
    } else if (state.kind === 'unreadable') {
      box.append(
        el(doc, 'p', 'error', `This page could not be read: ${state.reason || 'its layout is not one the extension knows'}.`),
        el(
          doc,
          'p',
          '',
          'Select the message text, right-click it and choose “Check with Counterpitch” to check it instead.',
        ),
      );
    } else if (state.kind === 'result') {
      const who = state.about ? [state.about.name, state.about.headline].filter(Boolean).join(' · ') : '';
      if (who) box.append(el(doc, 'p', 'about', `Checked: ${who}`));
      renderAssessment(doc, box, state.assessment || {});
      if (state.reported) {
        box.append(el(doc, 'p', 'done', `Reported to your security team (report ${state.reported}).`));
      } else if (act.onReport) {
        const b = button(doc, state.reporting ? 'Reporting…' : 'Report to my security team', act.onReport, false, 'report');
        b.disabled = Boolean(state.reporting);
        box.append(b);
      }
      if (state.reportError) box.append(el(doc, 'p', 'error', state.reportError));
    }
    if (act.onClose) box.append(button(doc, 'Close', act.onClose, true, 'close'));
    mount.replaceChildren(box);
    return box;
  }

  const api = { CSS, BANDS, render, topFindings };
  root.Counterpitch = Object.assign(root.Counterpitch || {}, { panel: api });
  if (typeof module === 'object' && module.exports) module.exports = api;
})(globalThis);
