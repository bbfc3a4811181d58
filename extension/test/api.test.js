'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const api = require('../src/api.js');

function fakeFetch(answer) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  fn.calls = calls;
  return fn;
}

function response(status, body) {
  return { status, ok: status >= 200 && status < 300, json: async () => (body === undefined ? Promise.reject(new Error('no json')) : body) };
}

const SETTINGS = { serviceUrl: 'https://cp.example.org/', token: ' tok-123 ' };

test('nothing is sent without a service address and a token', async () => {
  for (const settings of [{}, { serviceUrl: 'https://cp.example.org' }, { token: 'x' }, undefined]) {
    const fetch = fakeFetch(response(200, {}));
    const out = await api.assess(settings, { id: '1', text: 'x' }, fetch);
    assert.equal(out.ok, false);
    assert.equal(out.error.kind, 'not_configured');
    assert.match(out.error.message, /options/);
    assert.equal(fetch.calls.length, 0);
  }
  const fetch = fakeFetch(response(200, {}));
  const out = await api.assess({ serviceUrl: 'ftp://x', token: 't' }, { id: '1', text: 'x' }, fetch);
  assert.equal(out.error.kind, 'bad_url');
  assert.equal(fetch.calls.length, 0);
});

test('assess posts JSON with the bearer token and no cookies', async () => {
  const fetch = fakeFetch(response(200, { band: 'high', score: 80, findings: [] }));
  const out = await api.assess(SETTINGS, { id: '1', text: 'hello' }, fetch);
  assert.deepEqual(out, { ok: true, status: 200, data: { band: 'high', score: 80, findings: [] } });
  const [{ url, init }] = fetch.calls;
  assert.equal(url, 'https://cp.example.org/api/v1/assess');
  assert.equal(init.method, 'POST');
  assert.equal(init.headers.Authorization, 'Bearer tok-123');
  assert.equal(init.headers['Content-Type'], 'application/json');
  assert.equal(init.credentials, 'omit');
  assert.deepEqual(JSON.parse(init.body), { id: '1', text: 'hello' });
  const rep = fakeFetch(response(201, { id: 7, assessment: {} }));
  assert.equal((await api.report(SETTINGS, { id: '1', text: 'x' }, rep)).data.id, 7);
  assert.equal(rep.calls[0].url, 'https://cp.example.org/api/v1/reports');
});

test('a wrong token, an unreachable service and a refusal each say what to do', async () => {
  for (const status of [401, 403]) {
    const out = await api.assess(SETTINGS, { id: '1', text: 'x' }, fakeFetch(response(status, { detail: 'no' })));
    assert.equal(out.error.kind, 'unauthorized');
    assert.match(out.error.message, /token/);
  }
  const down = await api.assess(SETTINGS, { id: '1', text: 'x' }, fakeFetch(new TypeError('Failed to fetch')));
  assert.equal(down.error.kind, 'unreachable');
  assert.match(down.error.message, /COUNTERPITCH_CORS_ORIGINS/);
  const bad = await api.assess(
    SETTINGS,
    { id: '1', text: 'x' },
    fakeFetch(response(422, { detail: [{ field: 'text', message: 'too long' }] })),
  );
  assert.equal(bad.error.kind, 'refused');
  assert.equal(bad.error.message, 'The service refused the request (HTTP 422): text too long');
  const junk = await api.assess(SETTINGS, { id: '1', text: 'x' }, fakeFetch(response(200)));
  assert.equal(junk.error.kind, 'bad_answer');
});

test('service addresses are normalised and origin patterns derived', () => {
  assert.equal(api.baseUrl(' https://cp.example.org/ '), 'https://cp.example.org');
  assert.equal(api.baseUrl('http://127.0.0.1:8000/counterpitch/'), 'http://127.0.0.1:8000/counterpitch');
  assert.equal(api.baseUrl('https://user:pw@cp.example.org'), '');
  assert.equal(api.baseUrl('javascript:alert(1)'), '');
  assert.equal(api.baseUrl('not a url'), '');
  assert.equal(api.originPattern('http://127.0.0.1:8000/x'), 'http://127.0.0.1/*');
});
