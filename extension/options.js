/* The options page: the service's address and the API token, kept in chrome.storage.local. */
(function () {
  'use strict';

  const CP = globalThis.Counterpitch;
  const form = document.getElementById('settings');
  const url = document.getElementById('serviceUrl');
  const token = document.getElementById('token');
  const status = document.getElementById('status');
  document.getElementById('origin').textContent = `chrome-extension://${chrome.runtime.id}`;

  chrome.storage.local.get(['serviceUrl', 'token']).then((s) => {
    url.value = s.serviceUrl || '';
    token.value = s.token || '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const base = CP.api.baseUrl(url.value);
    if (!base) {
      status.textContent = 'That is not a web address: it should look like https://counterpitch.example.org';
      return;
    }
    await chrome.storage.local.set({ serviceUrl: base, token: token.value.trim() });
    url.value = base;
    status.textContent = 'Saved.';
  });

  document.getElementById('allow').addEventListener('click', async () => {
    const pattern = CP.api.originPattern(url.value);
    if (!pattern) {
      status.textContent = 'Enter the service address first.';
      return;
    }
    try {
      const granted = await chrome.permissions.request({ origins: [pattern] });
      status.textContent = granted ? `Access to ${pattern} allowed.` : 'Access was not allowed.';
    } catch (e) {
      status.textContent = `This address cannot be allowed: ${e.message}`;
    }
  });

  document.getElementById('forget').addEventListener('click', async () => {
    await chrome.storage.local.remove(['serviceUrl', 'token']);
    url.value = '';
    token.value = '';
    status.textContent = 'Forgotten: nothing can be sent until a service is set again.';
  });
})();
