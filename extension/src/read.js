/*
 * Reading what the person sees: a LinkedIn conversation or InMail (the thread oldest first, who wrote each, the
 * sender's name, headline and profile URL, the reader's own headline) or a profile page, and turning it into the
 * Approach the service's API reads. Only visible text is read; nothing is fetched. The DOM half goes through
 * selectors.js; `toApproach` and the helpers below it are pure, over plain objects.
 */
(function (root) {
  'use strict';

  const S = typeof require === 'function' ? require('./selectors.js') : root.Counterpitch.selectors;
  const MAX_TEXT = 20000; // per message: far beyond any real message, well within the service's body limit

  function clip(value) {
    const s = String(value || '').trim();
    return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s;
  }

  /** A LinkedIn profile URL reduced to https://www.linkedin.com/in/<slug>/ (no tracking query); '' otherwise. */
  function profileUrl(href, base) {
    if (!href) return '';
    let url;
    try {
      url = new URL(href, base || 'https://www.linkedin.com/');
    } catch (e) {
      return '';
    }
    const m = /^\/in\/([^/?#]+)/.exec(url.pathname);
    return m ? `https://www.linkedin.com/in/${m[1]}/` : '';
  }

  function readerOf(doc) {
    const img = S.first(doc, 'readerName');
    const name = img && img.getAttribute ? String(img.getAttribute('alt') || '').trim() : '';
    return { name, headline: S.text(S.first(doc, 'readerHeadline')) };
  }

  /** The open conversation as plain data, or `{ok: false, reason}` when the page cannot be read. */
  function readConversation(doc, href) {
    const thread = S.first(doc, 'thread');
    if (!thread) return { ok: false, reason: 'no conversation is open on this page' };
    const list = S.first(thread, 'messageList');
    if (!list) return { ok: false, reason: 'the messages of this conversation could not be found' };
    const messages = [];
    let author = '';
    for (const item of S.all(list, 'messageItem')) {
      const named = S.text(S.first(item, 'messageAuthor'));
      if (named) author = named; // LinkedIn names the author once per group of messages
      const body = S.text(S.first(item, 'messageText'));
      if (!body) continue;
      const time = S.first(item, 'messageTime');
      const when = time && time.getAttribute ? time.getAttribute('datetime') || '' : '';
      messages.push({ author, text: clip(body), sentAt: when });
    }
    const link = S.first(thread, 'threadSenderLink');
    const subject = S.text(S.first(thread, 'inmailSubject'));
    return {
      ok: true,
      kind: 'conversation',
      inmail: Boolean(subject || S.first(thread, 'inmailMarker')),
      subject,
      sender: {
        name: S.text(S.first(thread, 'threadSenderName')),
        headline: S.text(S.first(thread, 'threadSenderHeadline')),
        profileUrl: profileUrl(link && link.getAttribute ? link.getAttribute('href') : '', href),
      },
      reader: readerOf(doc),
      messages,
    };
  }

  /** A profile page's top card and about section as plain data. */
  function readProfile(doc, href) {
    const name = S.text(S.first(doc, 'profileName'));
    if (!name) return { ok: false, reason: 'this profile could not be read' };
    return {
      ok: true,
      kind: 'profile',
      sender: {
        name,
        headline: S.text(S.first(doc, 'profileHeadline')),
        location: S.text(S.first(doc, 'profileLocation')),
        about: clip(S.text(S.first(doc, 'profileAbout'))),
        profileUrl: profileUrl(href, href),
      },
      reader: readerOf(doc),
    };
  }

  /** Which reading a page's path calls for: 'conversation', 'profile' or '' (none). */
  function pageKind(pathname) {
    if (/^\/messaging\//.test(pathname)) return 'conversation';
    if (/^\/in\/[^/]+/.test(pathname)) return 'profile';
    return '';
  }

  function compact(obj) {
    const out = {};
    for (const [k, v] of Object.entries(obj)) if (v) out[k] = v;
    return Object.keys(out).length ? out : undefined;
  }

  function newId(now, rand) {
    return `extension-${now}-${Math.floor(rand * 1e9).toString(36)}`;
  }

  /** Who wrote a message: 'recipient' for the reader, 'sender' for anyone else. */
  function sideOf(author, reader, sender) {
    const a = String(author || '').trim().toLowerCase();
    if (a && reader && a === String(reader).trim().toLowerCase()) return 'recipient';
    if (a && sender && a === String(sender).trim().toLowerCase()) return 'sender';
    return 'sender'; // anyone but the reader (an unnamed group is the other side: LinkedIn names yours)
  }

  /**
   * The Approach for the API (approach.schema.json) from what `readConversation` or `readProfile` gave:
   * `text` is the sender's first visible message, `thread` every later one, oldest first (as the LinkedIn
   * archive import does). A profile has an empty text. `{ok: false, reason}` when there is nothing to check.
   */
  function toApproach(snapshot, now, rand) {
    const id = newId(now === undefined ? Date.now() : now, rand === undefined ? Math.random() : rand);
    const s = snapshot.sender || {};
    const sender = compact({
      name: s.name,
      headline: s.headline,
      location: s.location,
      about: s.about,
      profile_url: s.profileUrl,
    });
    const reader = snapshot.reader || {};
    // The reader's headline, when the page shows it; otherwise the service uses the person's own details.
    const recipient = reader.headline ? compact({ name: reader.name, headline: reader.headline }) : undefined;
    if (snapshot.kind === 'profile') {
      return { ok: true, approach: dropEmpty({ id, channel: 'other', sender, recipient, text: '' }) };
    }
    const turns = (snapshot.messages || []).map((m) => ({
      from: sideOf(m.author, reader.name, s.name),
      text: m.text,
      sentAt: m.sentAt,
    }));
    const firstFromSender = turns.findIndex((t) => t.from === 'sender');
    if (firstFromSender < 0) return { ok: false, reason: 'no message from the other person is visible' };
    const thread = turns.slice(firstFromSender + 1).map((t) => dropEmpty({ from: t.from, sent_at: t.sentAt, text: t.text }));
    return {
      ok: true,
      approach: dropEmpty({
        id,
        channel: snapshot.inmail ? 'linkedin_inmail' : 'linkedin_message',
        sent_at: turns[firstFromSender].sentAt,
        sender,
        recipient,
        subject: snapshot.subject,
        text: turns[firstFromSender].text,
        thread: thread.length ? thread : undefined,
      }),
    };
  }

  /** Selected text from any page, as one message. */
  function selectionApproach(text, now, rand) {
    const body = clip(text);
    if (!body) return { ok: false, reason: 'no text was selected' };
    const id = newId(now === undefined ? Date.now() : now, rand === undefined ? Math.random() : rand);
    return { ok: true, approach: { id, channel: 'other', text: body } };
  }

  function dropEmpty(obj) {
    const out = {};
    for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== '') out[k] = v;
    if (!('text' in out) && 'text' in obj) out.text = '';
    return out;
  }

  const api = { readConversation, readProfile, pageKind, toApproach, selectionApproach, profileUrl, sideOf };
  root.Counterpitch = Object.assign(root.Counterpitch || {}, { read: api });
  if (typeof module === 'object' && module.exports) module.exports = api;
})(globalThis);
