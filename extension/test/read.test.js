'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const read = require('../src/read.js');
const { fixture } = require('./dom.js');

const HREF = 'https://www.linkedin.com/messaging/thread/2-invented/';

test('a conversation is read oldest first, with who wrote each, the sender and the reader', async () => {
  const snap = read.readConversation(await fixture('conversation.html'), HREF);
  assert.equal(snap.ok, true);
  assert.equal(snap.inmail, false);
  assert.deepEqual(snap.sender, {
    name: 'Vera Lintz',
    headline: 'Partner at a policy consultancy',
    profileUrl: 'https://www.linkedin.com/in/vera-lintz-osterfeld/',
  });
  assert.deepEqual(snap.reader, { name: 'Dana Reader', headline: 'Policy adviser, Ministry of Invented Affairs' });
  assert.deepEqual(
    snap.messages.map((m) => m.author),
    ['Vera Lintz', 'Vera Lintz', 'Dana Reader', 'Vera Lintz'],
  );
  assert.match(snap.messages[1].text, /^We pay GBP 1,500/);
  assert.equal(snap.messages[0].sentAt, '2026-11-30T09:12:00Z');

  const { ok, approach } = read.toApproach(snap, 1700000000000, 0.5);
  assert.equal(ok, true);
  assert.equal(approach.channel, 'linkedin_message');
  assert.match(approach.id, /^extension-1700000000000-/);
  assert.match(approach.text, /^Hello Dana/);
  assert.equal(approach.sent_at, '2026-11-30T09:12:00Z');
  assert.deepEqual(
    approach.thread.map((t) => t.from),
    ['sender', 'recipient', 'sender'],
  );
  assert.match(approach.thread[2].text, /WeChat: vera_lintz88/);
  assert.deepEqual(approach.recipient, { name: 'Dana Reader', headline: 'Policy adviser, Ministry of Invented Affairs' });
  assert.equal(approach.sender.profile_url, 'https://www.linkedin.com/in/vera-lintz-osterfeld/');
});

test('without ARIA labels the class-name fallbacks read the same conversation', async () => {
  const aria = read.readConversation(await fixture('conversation.html'), HREF);
  const classes = read.readConversation(await fixture('conversation-classes.html'), HREF);
  assert.equal(classes.ok, true);
  assert.deepEqual(classes.sender, aria.sender);
  assert.deepEqual(classes.messages, aria.messages);
});

test('an InMail has its subject and channel', async () => {
  const snap = read.readConversation(await fixture('inmail.html'), HREF);
  const { approach } = read.toApproach(snap);
  assert.equal(approach.channel, 'linkedin_inmail');
  assert.equal(approach.subject, 'A paid advisory opportunity');
  assert.equal(approach.sender.name, 'Ilse Marr');
  assert.equal(approach.thread, undefined);
});

test('hostile markup in the page is read as text, never as markup', async () => {
  const snap = read.readConversation(await fixture('conversation-xss.html'), HREF);
  assert.equal(snap.sender.name, 'Vera <script>window.__cpXss="name"</script>Lintz');
  assert.match(snap.sender.headline, /<img src=x onerror=/);
  assert.match(snap.messages[0].text, /<img src=x onerror=/);
});

test('a profile page is read as the sender, with an empty message', async () => {
  const snap = read.readProfile(await fixture('profile.html'), 'https://www.linkedin.com/in/vera-lintz-osterfeld/?trk=x');
  const { approach } = read.toApproach(snap);
  assert.equal(approach.text, '');
  assert.equal(approach.sender.name, 'Vera Lintz');
  assert.match(approach.sender.headline, /Paid expert network/);
  assert.equal(approach.sender.location, 'London, United Kingdom');
  assert.match(approach.sender.about, /^We connect decision makers/);
  assert.equal(approach.sender.profile_url, 'https://www.linkedin.com/in/vera-lintz-osterfeld/');
});

test('a page the extension does not know is reported as unreadable', async () => {
  const snap = read.readConversation(await fixture('unreadable.html'), HREF);
  assert.equal(snap.ok, false);
  assert.match(snap.reason, /no conversation/);
  assert.equal(read.readProfile(await fixture('unreadable.html'), HREF).ok, false);
});

test('a thread with only the reader\'s messages has nothing to check', async () => {
  const snap = { ok: true, kind: 'conversation', sender: { name: 'X' }, reader: { name: 'Dana' },
    messages: [{ author: 'Dana', text: 'hi' }] };
  assert.equal(read.toApproach(snap).ok, false);
});

test('page kinds, profile URLs and selections', async () => {
  assert.equal(read.pageKind('/messaging/thread/2-abc/'), 'conversation');
  assert.equal(read.pageKind('/in/someone/'), 'profile');
  assert.equal(read.pageKind('/feed/'), '');
  assert.equal(read.profileUrl('javascript:alert(1)', HREF), '');
  assert.equal(read.profileUrl('/company/x/', HREF), '');
  assert.equal(read.selectionApproach('   ').ok, false);
  const sel = read.selectionApproach('  Keep it between us.  ', 1, 0);
  assert.deepEqual(sel.approach, { id: 'extension-1-0', channel: 'other', text: 'Keep it between us.' });
});
