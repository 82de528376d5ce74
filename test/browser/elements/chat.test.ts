import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { nothing } from 'lit';
import '../../../src/elements/chat/chat.js';
import '../../../src/elements/conference/conference.js';
import '../../../src/elements/login/login.js';
import type { OovooChat } from '../../../src/elements/chat/chat.js';
import type { OovooConference } from '../../../src/elements/conference/conference.js';
import { linkify } from '../../../src/elements/chat/linkify.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import type { Conference } from '../../../src/sdk/conference/index.js';
import { ErrorCode } from '../../../src/sdk/index.js';
import { uniqueUser, waitFor } from '../helpers.js';
import { signedInLogin } from './signed-in.js';

interface Person {
  login: OovooLogin;
  chat: OovooChat;
  user: string;
}

/** A user signed in with <oovoo-login> holding an <oovoo-chat to=...>, each with its own client. */
async function person(user: string, to: string, opts: { hidden?: boolean } = {}): Promise<Person> {
  const { login } = await signedInLogin(
    () => html`<oovoo-chat to=${to} style="--oovoo-chat-height: 5rem"></oovoo-chat>`,
    { user, hidden: opts.hidden ?? false },
  );
  const chat = login.querySelector('oovoo-chat')!;
  await waitFor(() => chat.canSend || to === '', `${user}'s chat cannot send`, { timeout: 5000 });
  return { login, chat, user };
}

function statuses(chat: OovooChat): string[] {
  return [...chat.shadowRoot!.querySelectorAll('li[part~="own"] [part="status"]')].map((s) => s.textContent!.trim());
}

function bodies(chat: OovooChat): string[] {
  return [...chat.shadowRoot!.querySelectorAll('[part="body"]')].map((b) => b.textContent!);
}

function record(target: EventTarget, types: string[]): Array<{ type: string; detail: any }> {
  const seen: Array<{ type: string; detail: any }> = [];
  for (const type of types)
    target.addEventListener(type, (e) => seen.push({ type, detail: (e as CustomEvent).detail }));
  return seen;
}

const CHAT_EVENTS = ['oovoo-message', 'oovoo-send', 'oovoo-receipt', 'oovoo-unread-change', 'oovoo-error'];

describe('<oovoo-chat>', () => {
  it('exchanges messages; the sender sees Delivered then Read, with events in the documented order', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await person(alice, bob);
    const b = await person(bob, alice);
    const aEvents = record(a.chat, CHAT_EVENTS);
    const bEvents = record(b.chat, CHAT_EVENTS);

    const id = await a.chat.send('Hello Bob');
    await waitFor(() => statuses(a.chat)[0] === 'Read', `status stayed ${statuses(a.chat)}`, { timeout: 15000 });

    expect(id).to.be.a('string');
    expect(bodies(b.chat)).to.deep.equal(['Hello Bob']);
    expect(aEvents.map((e) => e.type)).to.deep.equal(['oovoo-send', 'oovoo-receipt', 'oovoo-receipt']);
    expect(aEvents[0]!.detail).to.deep.equal({ to: [bob], body: 'Hello Bob' });
    expect(aEvents[1]!.detail).to.deep.equal({ id, from: bob, state: 'Delivered' });
    expect(aEvents[2]!.detail).to.deep.equal({ id, from: bob, state: 'Read' });
    expect(bEvents.map((e) => e.type)).to.deep.equal(['oovoo-message', 'oovoo-unread-change', 'oovoo-unread-change']);
    expect(bEvents[0]!.detail).to.include({ id, from: alice, body: 'Hello Bob' });
    expect(bEvents[0]!.detail.ts).to.be.a('number');
    expect(bEvents.slice(1).map((e) => e.detail.unread)).to.deep.equal([1, 0]);
    expect(b.chat.unread).to.equal(0);
    expect(b.chat.hasAttribute('unread')).to.equal(false);
    expect(b.chat.shadowRoot!.querySelector('[part="sender"]')!.textContent).to.equal(alice);
    expect(a.chat.shadowRoot!.querySelector('[part="sender"]')!.textContent).to.equal('You');
  });

  it('sends Read only when the message is really on screen, and counts it unread until then', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await person(alice, bob);
    const b = await person(bob, alice, { hidden: true });

    await a.chat.send('Are you there?');
    await waitFor(() => statuses(a.chat)[0] === 'Delivered', 'never delivered', { timeout: 15000 });
    await waitFor(() => b.chat.getAttribute('unread') === '1', 'unread not reflected', { timeout: 5000 });
    // Hidden chat: the receipt stays Delivered for as long as it is hidden. A message from Bob
    // reaches Alice after any Read he would have sent before it.
    await b.chat.send('still hidden');
    await waitFor(() => bodies(a.chat).includes('still hidden'), 'the later message never arrived', { timeout: 15000 });
    expect(statuses(a.chat)).to.deep.equal(['Delivered']);

    b.login.hidden = false;
    await waitFor(() => statuses(a.chat)[0] === 'Read', 'never read after showing', { timeout: 15000 });
    await waitFor(() => b.chat.unread === 0, 'unread not cleared', { timeout: 5000 });
    expect(b.chat.hasAttribute('unread')).to.equal(false);
  });

  it('waits for the page to be visible before sending Read', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await person(alice, bob);
    const b = await person(bob, alice);
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      await a.chat.send('Hidden tab');
      await waitFor(() => statuses(a.chat)[0] === 'Delivered', 'never delivered', { timeout: 15000 });
      // A message from Bob reaches Alice after any Read he would have sent before it.
      await b.chat.send('still hidden');
      await waitFor(() => bodies(a.chat).includes('still hidden'), 'the later message never arrived', {
        timeout: 15000,
      });
      expect(statuses(a.chat)).to.deep.equal(['Delivered']);
      expect(b.chat.unread).to.equal(1);
      // His own send scrolled his log to the end: he scrolls back up to Alice's message.
      b.chat.shadowRoot!.querySelector('[part~="log"]')!.scrollTop = 0;
    } finally {
      delete (document as unknown as { visibilityState?: string }).visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));

    await waitFor(() => statuses(a.chat)[0] === 'Read', 'never read once visible', { timeout: 15000 });
    expect(b.chat.unread).to.equal(0);
  });

  it('shows what the server kept while the user was away, and only from the people in `to`', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const carol = uniqueUser('carol');
    const a = await person(alice, bob);
    const c = await person(carol, bob);
    await a.chat.send('first');
    await a.chat.send('second');
    await c.chat.send('from carol');

    const b = await person(bob, alice);
    b.chat.scrollIntoView();
    await waitFor(() => bodies(b.chat).length === 2, `history: ${bodies(b.chat)}`, { timeout: 15000 });

    expect(bodies(b.chat)).to.deep.equal(['first', 'second']);
    // The log keeps to its newest message; the older one is seen once scrolled to.
    await waitFor(() => statuses(a.chat)[1] === 'Read', `statuses ${statuses(a.chat)}`, { timeout: 15000 });
    b.chat.shadowRoot!.querySelector('[part="log"]')!.scrollTop = 0;
    await waitFor(() => statuses(a.chat).every((s) => s === 'Read'), `statuses ${statuses(a.chat)}`, {
      timeout: 15000,
    });
    expect(statuses(c.chat)).to.deep.equal(['Sent']);
  });

  it('in a group, an own message is Delivered and Read once every recipient acknowledged it', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const carol = uniqueUser('carol');
    const a = await person(alice, `${bob}, ${carol}`);
    const b = await person(bob, alice);
    const c = await person(carol, alice, { hidden: true });
    const receipts = record(a.chat, ['oovoo-receipt']);

    await a.chat.send('Hello both');
    await waitFor(() => receipts.length === 3, `receipts: ${JSON.stringify(receipts)}`, { timeout: 15000 });
    // Bob read it, Carol's chat is hidden: only delivered to her.
    expect(statuses(a.chat)).to.deep.equal(['Delivered']);
    expect(b.chat.unread).to.equal(0);
    expect(c.chat.unread).to.equal(1);

    c.login.hidden = false;
    c.chat.scrollIntoView();
    await waitFor(() => statuses(a.chat)[0] === 'Read', `status ${statuses(a.chat)}`, { timeout: 15000 });
    const byUser = (uid: string) => receipts.filter((r) => r.detail.from === uid).map((r) => r.detail.state);
    expect(byUser(bob)).to.deep.equal(['Delivered', 'Read']);
    expect(byUser(carol)).to.deep.equal(['Delivered', 'Read']);
  });

  it('sends with Enter, starts a new line with Shift+Enter, and clears the input', async () => {
    const alice = uniqueUser('alice');
    const a = await person(alice, uniqueUser('bob'));
    const input = a.chat.shadowRoot!.querySelector('textarea')!;
    const sends = record(a.chat, ['oovoo-send']);

    input.value = 'line one';
    input.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, cancelable: true }),
    );
    expect(sends).to.have.length(0);
    input.value = 'line one\nline two';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));

    expect(sends.map((e) => e.detail.body)).to.deep.equal(['line one\nline two']);
    expect(input.value).to.equal('');
    await waitFor(() => statuses(a.chat)[0] === 'Sent', `status ${statuses(a.chat)}`, { timeout: 10000 });
    expect(bodies(a.chat)).to.deep.equal(['line one\nline two']);
  });

  it('a cancelled oovoo-send sends nothing and keeps the text', async () => {
    const a = await person(uniqueUser('alice'), uniqueUser('bob'));
    const form = a.chat.shadowRoot!.querySelector('form')!;
    const input = form.querySelector('textarea')!;
    a.chat.addEventListener('oovoo-send', (e) => e.preventDefault(), { once: true });

    input.value = 'not this';
    form.requestSubmit();

    expect(input.value).to.equal('not this');
    expect(a.chat.messages).to.have.length(0);
    expect(a.login.client.Messaging.unacknowledgedSends).to.equal(0);
  });

  it("fires oovoo-error with the spec's code when a send fails, and marks the message", async () => {
    const a = await person(uniqueUser('alice'), uniqueUser('bob'));
    const errors = record(a.chat, ['oovoo-error']);

    const id = await a.chat.send('x'.repeat(5000));

    expect(id).to.equal(undefined);
    expect(errors.map((e) => e.detail.code)).to.deep.equal([ErrorCode.BadRequest]);
    expect(statuses(a.chat)).to.deep.equal(['Not sent: the message is too long. Shorten it and send it again.']);
  });

  it('keeps attributes and properties in step, and disables sending without recipients', async () => {
    const a = await person(uniqueUser('alice'), '');

    expect(a.chat.canSend).to.equal(false);
    expect(a.chat.shadowRoot!.querySelector('button')!.disabled).to.equal(true);
    a.chat.setAttribute('to', 'x, y');
    expect(a.chat.to).to.equal('x, y');
    await a.chat.updateComplete;
    expect(a.chat.canSend).to.equal(true);
    expect(a.chat.shadowRoot!.querySelector('button')!.disabled).to.equal(false);
  });

  it('has its parts and slots, and replaces every visible string', async () => {
    const strings = {
      messages: 'Nachrichten',
      empty: 'Noch nichts.',
      input: 'Nachricht',
      placeholder: 'Schreiben',
      send: 'Senden',
      you: 'Ich',
      sent: 'Gesendet',
    };
    const chat = await fixture<OovooChat>(
      html`<oovoo-chat .strings=${strings}><h2 slot="header">Chat</h2></oovoo-chat>`,
    );
    const root = chat.shadowRoot!;

    for (const part of ['base', 'log', 'empty', 'form', 'input', 'send'])
      expect(root.querySelector(`[part~="${part}"]`), part).not.to.equal(null);
    expect(root.querySelector<HTMLSlotElement>('slot[name="header"]')!.assignedElements()[0]!.textContent).to.equal(
      'Chat',
    );
    expect(root.querySelector('slot[name="empty"]')).not.to.equal(null);
    expect(root.querySelector('[part="log"]')!.getAttribute('aria-label')).to.equal('Nachrichten');
    expect(root.querySelector('[part="empty"]')!.textContent).to.equal('Noch nichts.');
    expect(root.querySelector('textarea')!.getAttribute('aria-label')).to.equal('Nachricht');
    expect(root.querySelector('textarea')!.placeholder).to.equal('Schreiben');
    expect(root.querySelector('[part="send"]')!.textContent).to.equal('Senden');
  });

  it('is accessible: a role=log live region with a list, labelled input, focusable log; axe finds nothing', async () => {
    const bob = uniqueUser('bob');
    const a = await person(uniqueUser('alice'), bob);
    await expect(a.chat).to.be.accessible();
    await a.chat.send('Hello https://example.com/a');

    const log = a.chat.shadowRoot!.querySelector('[part="log"]')!;
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('polite');
    expect(log.getAttribute('tabindex')).to.equal('0');
    expect(log.querySelectorAll('ol > li')).to.have.length(1);
    await expect(a.chat).to.be.accessible();
    await expect(a.login).to.be.accessible();
  });

  it('leaves no listener behind when removed, keeps its history, and works again when added back', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await person(alice, bob);
    const b = await person(bob, alice);
    const listeners = () => a.login.client.Messaging.events.events.message?.length ?? 0;
    const visibility = { added: 0, removed: 0 };
    const add = document.addEventListener.bind(document);
    const remove = document.removeEventListener.bind(document);
    document.addEventListener = ((type: string, ...rest: [any, any]) => {
      if (type === 'visibilitychange') visibility.added++;
      add(type, ...rest);
    }) as typeof document.addEventListener;
    document.removeEventListener = ((type: string, ...rest: [any, any]) => {
      if (type === 'visibilitychange') visibility.removed++;
      remove(type, ...rest);
    }) as typeof document.removeEventListener;
    try {
      await a.chat.send('before');
      expect(listeners()).to.equal(1);

      for (let i = 0; i < 3; i++) {
        a.chat.remove();
        expect(listeners()).to.equal(0);
        a.login.appendChild(a.chat);
      }
      a.chat.remove();
      a.chat.remove();
      expect(listeners()).to.equal(0);
      a.login.appendChild(a.chat);
    } finally {
      document.addEventListener = add;
      document.removeEventListener = remove;
    }
    expect(listeners()).to.equal(1);
    // Each removal took its listener away, each addition put one back.
    expect(visibility).to.deep.equal({ added: 4, removed: 4 });

    await b.chat.send('after');
    await waitFor(() => bodies(a.chat).length === 2, 'no message after re-adding', { timeout: 15000 });
    expect(bodies(a.chat)).to.deep.equal(['before', 'after']);
  });
});

/** Message bodies and names that try to become markup or run script. */
const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '<svg onload="window.__xss=1"></svg>',
  '<svg><script>window.__xss=1</script></svg>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<a href="javascript:window.__xss=1">click</a>',
  'javascript:window.__xss=1',
  'JaVaScRiPt:window.__xss=1',
  'java\tscript:window.__xss=1',
  '&lt;img src=x onerror=window.__xss=1&gt;',
  '&#60;script&#62;window.__xss=1&#60;/script&#62;',
  '%3Cscript%3Ewindow.__xss=1%3C/script%3E',
  '\u003cimg src=x onerror=window.__xss=1\u003e',
  '<body onload="window.__xss=1">',
  '<input autofocus onfocus="window.__xss=1">',
  '<details open ontoggle="window.__xss=1">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
  '"><img src=x onerror=window.__xss=1>',
  "'-alert(1)-'",
  '{{constructor.constructor("window.__xss=1")()}}',
  '${window.__xss=1}',
  'data:text/html,<script>window.__xss=1</script>',
  'https://example.com/"onmouseover="window.__xss=1',
  'see https://example.com/?q=<script>window.__xss=1</script>',
];

function assertInert(root: ShadowRoot): void {
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames())
      expect(attr.startsWith('on'), `${el.tagName} has ${attr}`).to.equal(false);
  }
  expect(root.querySelectorAll('img, script, iframe, math, details, body, style')).to.have.length(0);
  // The one input is the attach button's file chooser, in the form.
  for (const input of root.querySelectorAll('input'))
    expect([input.type, input.parentElement?.getAttribute('part')]).to.deep.equal(['file', 'form']);
  // The svgs are the icons of the chat's own buttons (the sheet toggle inside a conference, the attach button), never one from a message.
  for (const svg of root.querySelectorAll('svg'))
    expect(svg.parentElement?.getAttribute('part'), 'an svg outside the chat buttons').to.be.oneOf([
      'sheet-toggle',
      'attach',
    ]);
  for (const a of root.querySelectorAll('a')) expect(new URL(a.href).protocol).to.match(/^https?:$/);
  expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
}

describe('<oovoo-chat> with hostile text', () => {
  it('renders message bodies and sender names as text; no script runs, no on* attribute appears', async function () {
    // Twenty-five sends one after another, each acknowledged after the server's commit, then up to 20 s
    // for the last to arrive: more than the default 20 s on a busy machine.
    this.timeout(60_000);
    // The sender's user id is itself markup: it is shown as the sender's name.
    const alice = `<img src=x onerror="window.__xss=1">${uniqueUser('a')}`;
    const bob = uniqueUser('bob');
    const a = await person(alice, bob);
    const b = await person(bob, alice);

    for (const body of XSS) await a.chat.send(body);
    // A last message arrives after any second showing of an earlier one would have.
    await a.chat.send('last');
    await waitFor(() => bodies(b.chat).includes('last'), `got ${bodies(b.chat).length}`, { timeout: 20000 });

    expect(bodies(b.chat)).to.deep.equal([...XSS, 'last']);
    expect(bodies(a.chat)).to.deep.equal([...XSS, 'last']);
    expect([...b.chat.shadowRoot!.querySelectorAll('[part="sender"]')].map((s) => s.textContent)).to.deep.equal(
      [...XSS, 'last'].map(() => alice),
    );
    assertInert(b.chat.shadowRoot!);
    assertInert(a.chat.shadowRoot!);
    const links = [...b.chat.shadowRoot!.querySelectorAll('a')];
    expect(links.map((l) => l.getAttribute('href'))).to.deep.equal(['https://example.com/', 'https://example.com/?q=']);
    for (const link of links) {
      expect(link.rel).to.equal('noopener noreferrer');
      expect(link.target).to.equal('_blank');
    }
  });
});

describe('linkify', () => {
  it('makes links of http and https URLs only, and keeps sentence punctuation out', () => {
    expect(linkify('see https://example.com/a.')).to.deep.equal([
      'see ',
      { href: 'https://example.com/a', text: 'https://example.com/a' },
      '.',
    ]);
    expect(linkify('(http://x.test/wiki/A_(b))')).to.deep.equal([
      '(',
      { href: 'http://x.test/wiki/A_(b)', text: 'http://x.test/wiki/A_(b)' },
      ')',
    ]);
    expect(linkify('javascript:alert(1) ftp://x.test data:text/html,x')).to.deep.equal([
      'javascript:alert(1) ftp://x.test data:text/html,x',
    ]);
    expect(linkify('xhttps://a.test')).to.deep.equal(['xhttps://a.test']);
    expect(linkify('http://')).to.deep.equal(['http://']);
    expect(linkify('')).to.deep.equal([]);
  });
});

describe('<oovoo-chat> in a call', () => {
  async function joined(user: string, conf: string): Promise<{ login: OovooLogin; conference: Conference }> {
    const { login } = await signedInLogin(() => nothing, { user });
    const conference = login.client.AVChat.init({ video: false, audio: false });
    await conference.join(conf, user, '');
    return { login, conference };
  }

  it('chats over sendData with the conference given as a property, with receipts', async () => {
    const conf = uniqueUser('conf');
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await joined(alice, conf);
    const b = await joined(bob, conf);
    await waitFor(() => a.conference.participants.includes(bob), 'bob never joined', { timeout: 15000 });
    const aChat = document.createElement('oovoo-chat');
    const bChat = document.createElement('oovoo-chat');
    aChat.conference = a.conference;
    bChat.conference = b.conference;
    a.login.appendChild(aChat);
    b.login.appendChild(bChat);
    const received = oneEvent(bChat, 'oovoo-message');

    const id = await aChat.send('<b>in the call</b>');
    const message = await received;
    await waitFor(() => statuses(aChat)[0] === 'Read', `status ${statuses(aChat)}`, { timeout: 15000 });

    expect(message.detail).to.include({ id, from: alice, body: '<b>in the call</b>' });
    expect(bodies(bChat)).to.deep.equal(['<b>in the call</b>']);
    expect(bChat.shadowRoot!.querySelector('b')).to.equal(null);

    // Plain strings from the spec's sendData show as messages too, and get no receipt back.
    const dataToBob: string[] = [];
    b.conference.events.on('receiveData', (e) => dataToBob.push(e.data));
    await b.conference.sendData(bob, '', 'plain data');
    await waitFor(() => bodies(aChat).length === 2, 'plain data not shown', { timeout: 10000 });
    expect(bodies(aChat)).to.deep.equal(['<b>in the call</b>', 'plain data']);
    await aChat.send('marker');
    await waitFor(() => dataToBob.length > 0, 'marker not received', { timeout: 10000 });
    expect(dataToBob).to.have.length(1);
    expect(JSON.parse(dataToBob[0]!)).to.include({ body: 'marker' });

    aChat.remove();
    expect(a.conference.events.events.receiveData?.length ?? 0).to.equal(0);
    a.conference.leave();
    b.conference.leave();
  });
});

describe('<oovoo-chat> inside <oovoo-conference>', () => {
  const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">Eve';

  async function inCall(
    user: string,
    conf: string,
    name: string,
  ): Promise<{ login: OovooLogin; conference: OovooConference; chat: OovooChat }> {
    const { login } = await signedInLogin(
      () =>
        html`<oovoo-conference conference-id=${conf} display-name=${name} autojoin audio="off" video="off">
          <oovoo-chat style="--oovoo-chat-height: 5rem"></oovoo-chat>
        </oovoo-conference>`,
      { user },
    );
    const conference = login.querySelector('oovoo-conference')!;
    const chat = login.querySelector('oovoo-chat')!;
    await waitFor(() => conference.state === 'joined' && chat.canSend, `${user} never joined`, { timeout: 20000 });
    return { login, conference, chat };
  }

  it('chats with everyone in the call, names from the conference shown as text, with receipts', async () => {
    const conf = uniqueUser('room');
    const alice = uniqueUser('alice');
    const eve = uniqueUser('eve');
    const a = await inCall(alice, conf, 'Alice');
    const e = await inCall(eve, conf, HOSTILE_NAME);
    const sends = record(e.chat, ['oovoo-send']);

    const id = await e.chat.send('hi <script>window.__xss=1</script>');
    await waitFor(() => bodies(a.chat).length === 1, 'message not received', { timeout: 15000 });
    a.chat.scrollIntoView();
    await waitFor(() => statuses(e.chat)[0] === 'Read', `status ${statuses(e.chat)}`, { timeout: 15000 });

    expect(id).to.be.a('string');
    expect(sends[0]!.detail).to.deep.equal({ to: [], body: 'hi <script>window.__xss=1</script>' });
    expect(bodies(a.chat)).to.deep.equal(['hi <script>window.__xss=1</script>']);
    expect(a.chat.shadowRoot!.querySelector('[part="sender"]')!.textContent).to.equal(HOSTILE_NAME);
    assertInert(a.chat.shadowRoot!);
    await expect(a.chat).to.be.accessible();

    // Leaving the call unbinds the chat from it.
    a.conference.leave();
    await waitFor(() => !a.chat.canSend, 'still bound after leaving', { timeout: 10000 });
  });
});
