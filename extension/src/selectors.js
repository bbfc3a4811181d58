/*
 * Every selector the extension uses to read LinkedIn, in one place. Each entry is a list tried in order: ARIA
 * roles, labels and landmarks first (they change least), LinkedIn's class names last. When LinkedIn changes its
 * markup, this is the only file to change.
 */
(function (root) {
  'use strict';

  const SELECTORS = {
    // The open conversation (messaging thread or InMail).
    thread: [
      'main [role="region"][aria-label*="conversation" i]',
      'main section[aria-label*="conversation" i]',
      '.msg-thread',
      'main',
    ],
    // The other person in the conversation's header: their name, headline and profile link.
    threadSenderName: [
      '[role="heading"][data-counterpitch="sender-name"]',
      'header h2',
      '.msg-entity-lockup__entity-title',
      '.msg-thread__link-to-profile h2',
    ],
    threadSenderHeadline: [
      'header [aria-label*="headline" i]',
      '.msg-entity-lockup__entity-info',
      '.msg-thread__link-to-profile + div',
    ],
    threadSenderLink: [
      'header a[href*="/in/"]',
      'a.msg-thread__link-to-profile',
      'a[href*="/in/"]',
    ],
    // InMail: its subject line, or a label saying InMail.
    inmailSubject: [
      '[aria-label*="InMail subject" i]',
      '.msg-s-event-listitem__subject',
    ],
    inmailMarker: [
      '[aria-label*="InMail" i]',
      '.msg-s-message-group__inmail-badge',
    ],
    // The messages, in page order (oldest first), and within each the author (shown once per group) and text.
    messageList: [
      '[role="list"][aria-label*="message" i]',
      'ul.msg-s-message-list-content',
    ],
    messageItem: [
      ':scope > [role="listitem"]',
      ':scope > li.msg-s-message-list__event',
      ':scope > li',
    ],
    messageAuthor: [
      '[data-counterpitch="author"]',
      '.msg-s-message-group__name',
      '.msg-s-message-group__profile-link',
    ],
    messageText: [
      '[role="article"] p',
      '.msg-s-event-listitem__body',
      'p',
    ],
    messageTime: ['time[datetime]', 'time'],
    // The reader (the person signed in): name and headline from the global navigation's "Me" menu.
    readerName: [
      'nav [aria-label="Me"] img[alt]',
      'img.global-nav__me-photo[alt]',
    ],
    readerHeadline: [
      'nav [aria-label="Me"] [aria-label*="headline" i]',
      '.global-nav__me-content .t-14',
    ],
    // A profile page's top card.
    profileName: ['main h1', 'h1.text-heading-xlarge'],
    profileHeadline: [
      'main [aria-label*="headline" i]',
      'main .text-body-medium.break-words',
    ],
    profileLocation: [
      'main [aria-label*="location" i]',
      'main .text-body-small.inline.t-black--light.break-words',
    ],
    profileAbout: [
      'main section[aria-labelledby="about"] [aria-hidden="true"]',
      'main section:has(#about) .inline-show-more-text span[aria-hidden="true"]',
    ],
  };

  function text(el) {
    if (!el) return '';
    return String(el.textContent || '').replace(/[ \t\r\f\v\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  }

  /** `fn()`, or `fallback` when it throws: a selector this engine does not know (e.g. :has) falls through. */
  function attempt(fn, fallback) {
    try {
      return fn();
    } catch (e) {
      return fallback;
    }
  }

  /** The first element matching any of the entry's selectors, tried in order; null if none. */
  function first(scope, name) {
    for (const sel of SELECTORS[name]) {
      const found = attempt(() => scope.querySelector(sel), null);
      if (found) return found;
    }
    return null;
  }

  /** All elements matching the first of the entry's selectors that matches anything. */
  function all(scope, name) {
    for (const sel of SELECTORS[name]) {
      const found = attempt(() => Array.from(scope.querySelectorAll(sel)), []);
      if (found.length) return found;
    }
    return [];
  }

  const api = { SELECTORS, first, all, text };
  root.Counterpitch = Object.assign(root.Counterpitch || {}, { selectors: api });
  if (typeof module === 'object' && module.exports) module.exports = api;
})(globalThis);
