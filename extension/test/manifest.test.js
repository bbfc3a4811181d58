'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const DIR = path.join(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8'));

test('the manifest asks for the least it needs and runs only on the LinkedIn pages it names', () => {
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.permissions, ['storage', 'contextMenus']);
  assert.equal(manifest.host_permissions, undefined);
  const matches = manifest.content_scripts.flatMap((c) => c.matches);
  assert.deepEqual(matches, ['https://www.linkedin.com/messaging/*', 'https://www.linkedin.com/in/*']);
  assert.match(manifest.content_security_policy.extension_pages, /script-src 'self'/);
});

test('every file the manifest and pages load is in the package, and none comes from elsewhere', () => {
  const makefile = fs.readFileSync(path.join(DIR, '..', 'Makefile'), 'utf8');
  const shipped = /^EXTENSION_FILES := (.*)$/m.exec(makefile)[1].split(/\s+/);
  const inPackage = (file) => shipped.some((s) => file === s || file.startsWith(`${s}/`));
  const loaded = [
    manifest.background.service_worker,
    manifest.options_ui.page,
    ...manifest.content_scripts.flatMap((c) => c.js),
  ];
  for (const page of ['options.html', 'result.html']) {
    const html = fs.readFileSync(path.join(DIR, page), 'utf8');
    for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      assert.doesNotMatch(m[1], /^(?:https?:)?\/\//, `${page} loads ${m[1]} from elsewhere`);
      loaded.push(m[1]);
    }
  }
  for (const file of loaded) {
    assert.ok(fs.existsSync(path.join(DIR, file)), `${file} is missing`);
    assert.ok(inPackage(file), `${file} is not in the zip (Makefile EXTENSION_FILES)`);
  }
});
