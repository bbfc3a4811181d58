/*
 * Calls to the organisation's Counterpitch service (POST /api/v1/assess, POST /api/v1/reports), made only from
 * the service worker, only when the person has clicked. Failures become one of a few kinds with a message that
 * says what to do. `fetchImpl` is injectable so the unit tests need no network.
 */
(function (root) {
  'use strict';

  const TIMEOUT_MS = 30000;

  const MESSAGES = {
    not_configured:
      "No Counterpitch service is set up yet. Open the extension's options and enter your organisation's " +
      'service address and your API token (ask your security team, or run `counterpitch tokens create`). ' +
      'Nothing was sent.',
    bad_url:
      "The service address in the extension's options is not a web address (it should look like " +
      'https://counterpitch.example.org). Nothing was sent.',
    unauthorized:
      'The service did not accept your API token (it may be wrong, revoked or for a deactivated account). ' +
      "Enter a new token in the extension's options.",
    unreachable:
      'The Counterpitch service could not be reached. Check the address in the options, your network or VPN, ' +
      "and that the service allows this extension's origin (COUNTERPITCH_CORS_ORIGINS).",
    refused: 'The service refused the request',
    bad_answer: 'The service gave an answer the extension does not understand.',
  };

  /** The service's base URL (scheme, host, port, any path prefix) without a trailing slash, or '' if invalid. */
  function baseUrl(raw) {
    const s = String(raw || '').trim();
    if (!s) return '';
    let url;
    try {
      url = new URL(s);
    } catch (e) {
      return '';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return '';
    if (url.username || url.password || url.search || url.hash) return '';
    return (url.origin + url.pathname).replace(/\/+$/, '');
  }

  /** The origin permission pattern for the options page's optional host permission, e.g. https://h/*. */
  function originPattern(raw) {
    const base = baseUrl(raw);
    if (!base) return '';
    const url = new URL(base);
    return `${url.protocol}//${url.hostname}/*`;
  }

  function failure(kind, status, detail) {
    let message = MESSAGES[kind];
    if (kind === 'refused') message = `${message} (HTTP ${status})${detail ? ': ' + detail : '.'}`;
    return { ok: false, error: { kind, status: status || 0, message } };
  }

  function detailOf(data) {
    if (!data || data.detail === undefined) return '';
    const d = data.detail;
    if (typeof d === 'string') return d.slice(0, 300);
    if (Array.isArray(d)) {
      return d
        .map((x) => (x && typeof x === 'object' ? `${x.field || ''} ${x.message || x.msg || ''}`.trim() : String(x)))
        .join('; ')
        .slice(0, 300);
    }
    return '';
  }

  /**
   * POST `body` as JSON to `path` of the configured service. Resolves to {ok: true, status, data} or
   * {ok: false, error: {kind, status, message}}; never throws, and sends nothing without a URL and a token.
   */
  async function post(settings, path, body, fetchImpl) {
    const cfg = settings || {};
    if (!String(cfg.serviceUrl || '').trim() || !String(cfg.token || '').trim()) return failure('not_configured');
    const base = baseUrl(cfg.serviceUrl);
    if (!base) return failure('bad_url');
    const doFetch = fetchImpl || root.fetch.bind(root);
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : null;
    let response;
    try {
      response = await doFetch(base + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${String(cfg.token).trim()}` },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        signal: controller ? controller.signal : undefined,
      });
    } catch (e) {
      return failure('unreachable');
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (response.status === 401 || response.status === 403) return failure('unauthorized', response.status);
    const data = await response.json().catch(() => null);
    if (!response.ok) return failure('refused', response.status, detailOf(data));
    if (!data || typeof data !== 'object') return failure('bad_answer', response.status);
    return { ok: true, status: response.status, data };
  }

  const assess = (settings, approach, fetchImpl) => post(settings, '/api/v1/assess', approach, fetchImpl);
  const report = (settings, approach, fetchImpl) => post(settings, '/api/v1/reports', approach, fetchImpl);

  const api = { MESSAGES, baseUrl, originPattern, post, assess, report };
  root.Counterpitch = Object.assign(root.Counterpitch || {}, { api });
  if (typeof module === 'object' && module.exports) module.exports = api;
})(globalThis);
