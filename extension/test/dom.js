// A DOM for the unit tests: linkedom parses the fixture pages (a dev dependency; the extension has none). It is
// loaded with import(): its CommonJS build requires an ES module, which Node 18 (Debian 12's) cannot.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

async function parse(html) {
  const { parseHTML } = await import('linkedom');
  return parseHTML(html).document;
}

function fixture(name) {
  return parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
}

function blank() {
  return parse('<!doctype html><html><body><div id="mount"></div></body></html>');
}

module.exports = { fixture, blank };
