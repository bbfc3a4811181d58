'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const panel = require('../src/panel.js');
const { blank } = require('./dom.js');

const PAYLOAD = '<img src=x onerror="window.__cpXss=1"><script>window.__cpXss=2</script>';

function assessment() {
  return {
    id: 'a1',
    score: 81.6,
    band: 'high',
    advice: `Do not reply. ${PAYLOAD}`,
    findings: [
      { detector: 'd1', title: 'Low finding', severity: 'low', weight: 9, evidence: [], explanation: 'minor' },
      {
        detector: 'd2',
        title: `Payment for information ${PAYLOAD}`,
        severity: 'high',
        weight: 2,
        evidence: [{ field: 'text', quote: `GBP 1,500 ${PAYLOAD}` }, { field: 'text' }],
        explanation: 'why',
        guidance: `Report it ${PAYLOAD}`,
      },
    ],
  };
}

test('the verdict shows band, score, findings strongest first with evidence, and advice', async () => {
  const doc = await blank();
  const mount = doc.getElementById('mount');
  let reported = 0;
  panel.render(mount, { kind: 'result', assessment: assessment(), about: { name: 'Vera', headline: 'Partner' } }, {
    onReport: () => (reported += 1),
  });
  assert.equal(mount.querySelector('.band').textContent, 'High risk');
  assert.equal(mount.querySelector('.score').textContent, 'Score 82 / 100');
  assert.equal(mount.querySelector('.about').textContent, 'Checked: Vera · Partner');
  const titles = Array.from(mount.querySelectorAll('.finding strong')).map((n) => n.textContent);
  assert.deepEqual(titles, [`Payment for information ${PAYLOAD}`, 'Low finding']);
  assert.equal(mount.querySelectorAll('.evidence').length, 1);
  assert.equal(mount.querySelector('.evidence').textContent, `“GBP 1,500 ${PAYLOAD}”`);
  mount.querySelector('[data-action="report"]').dispatchEvent(new doc.defaultView.Event('click'));
  assert.equal(reported, 1);
});

test('text from the message, the service and the page is never parsed as HTML', async () => {
  const doc = await blank();
  const mount = doc.getElementById('mount');
  panel.render(mount, { kind: 'result', assessment: assessment(), about: { name: PAYLOAD, headline: PAYLOAD } }, {});
  panel.render(mount, { kind: 'result', assessment: assessment(), about: { name: PAYLOAD }, reportError: PAYLOAD }, {});
  assert.equal(mount.querySelectorAll('img, script, svg, a').length, 0);
  assert.ok(mount.innerHTML.includes('&lt;img src=x onerror='));
  panel.render(mount, { kind: 'error', message: PAYLOAD }, {});
  assert.equal(mount.querySelectorAll('img, script').length, 0);
  assert.equal(mount.querySelector('.error').textContent, PAYLOAD);
});

test('no extension script writes HTML', async () => {
  const dir = path.join(__dirname, '..');
  const files = ['options.js', 'result.js', ...fs.readdirSync(path.join(dir, 'src')).map((f) => `src/${f}`)];
  for (const file of files) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/, file);
  }
});

test('errors, unreadable pages and reported states say what to do', async () => {
  const doc = await blank();
  const mount = doc.getElementById('mount');
  let opened = 0;
  panel.render(mount, { kind: 'error', message: 'No service', options: true }, { onOptions: () => (opened += 1) });
  mount.querySelector('[data-action="options"]').dispatchEvent(new doc.defaultView.Event('click'));
  assert.equal(opened, 1);
  panel.render(mount, { kind: 'unreadable', reason: 'no conversation is open on this page' }, {});
  assert.match(mount.textContent, /right-click it and choose “Check with Counterpitch”/);
  panel.render(mount, { kind: 'result', assessment: { band: 'low', score: 3, findings: [] }, reported: '42' }, {
    onReport: () => {},
  });
  assert.match(mount.textContent, /Reported to your security team \(report 42\)/);
  assert.equal(mount.querySelector('[data-action="report"]'), null);
  assert.match(mount.textContent, /Nothing of concern was found/);
});

test('findings are capped and ordered by severity then weight', async () => {
  const many = Array.from({ length: 8 }, (_, i) => ({ title: `f${i}`, severity: i % 2 ? 'medium' : 'info', weight: i }));
  const top = panel.topFindings(many);
  assert.equal(top.length, 5);
  assert.deepEqual(top.slice(0, 4).map((f) => f.title), ['f7', 'f5', 'f3', 'f1']);
});
