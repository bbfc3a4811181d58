/*
 * The service worker: the only part that talks to the Counterpitch service, and the only one that reads the
 * API token. It answers the content script and the extension's own pages, and adds the context-menu item for
 * selected text (whose verdict opens in the extension's result page: no script is put into other sites).
 */
importScripts('selectors.js', 'read.js', 'api.js');

(function () {
  'use strict';

  const CP = globalThis.Counterpitch;
  const MENU_ID = 'counterpitch-check-selection';

  chrome.runtime.onInstalled.addListener(() => {
    chrome.contextMenus.create({ id: MENU_ID, title: 'Check with Counterpitch', contexts: ['selection'] });
  });

  chrome.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId !== MENU_ID) return;
    const key = `selection-${crypto.randomUUID()}`;
    chrome.storage.session
      .set({ [key]: { text: String(info.selectionText || '') } })
      .then(() => chrome.tabs.create({ url: `${chrome.runtime.getURL('result.html')}#${key}` }));
  });

  chrome.action.onClicked.addListener(() => chrome.runtime.openOptionsPage());

  async function settings() {
    return chrome.storage.local.get(['serviceUrl', 'token']);
  }

  async function handle(message) {
    switch (message.type) {
      case 'assess':
        return CP.api.assess(await settings(), message.approach);
      case 'report':
        return CP.api.report(await settings(), message.approach);
      case 'options':
        await chrome.runtime.openOptionsPage();
        return { ok: true };
      default:
        return { ok: false, error: { kind: 'internal', message: 'Unknown request.' } };
    }
  }

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only this extension's own content script and pages; other extensions and web pages cannot reach here.
    if (sender.id !== chrome.runtime.id || !message || typeof message !== 'object') return false;
    handle(message).then(sendResponse, (e) =>
      sendResponse({ ok: false, error: { kind: 'internal', message: `The extension failed: ${e}` } }),
    );
    return true;
  });
})();
