// A DOM for the unit tests: linkedom parses the fixture pages (a dev dependency; the extension has none).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseHTML } = require('linkedom');

function fixture(name) {
  const html = fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
  return parseHTML(html).document;
}

function blank() {
  return parseHTML('<!doctype html><html><body><div id="mount"></div></body></html>').document;
}

module.exports = { fixture, blank };
