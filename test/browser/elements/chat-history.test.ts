import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/elements/chat/chat.js';
import '../../../src/elements/conference/conference.js';
import '../../../src/elements/login/login.js';
import type { OovooChat } from '../../../src/elements/chat/chat.js';
import type { OovooConference } from '../../../src/elements/conference/conference.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import { uniqueUser, waitFor } from '../helpers.js';
import { signedInLogin } from './signed-in.js';

/** <oovoo-chat> over the history the server keeps: reopened, paged up, deleted for everyone, and a call's chat for a late joiner. */

interface Person {
  login: OovooLogin;
  chat: OovooChat;
}

/** `user` signed in with a chat to `to`; a second call for the same user is the page opened again (a new client, nothing kept in the page). */
async function open(user: string, to: string, attrs: { page?: number; height?: string } = {}): Promise<Person> {
  const { login } = await signedInLogin(
    () =>
      html`<oovoo-chat
        to=${to}
        history-page=${attrs.page ?? 50}
        style="--oovoo-chat-height: ${attrs.height ?? '6rem'}"
      ></oovoo-chat>`,
    { user },
  );
  const chat = login.querySelector('oovoo-chat')!;
  await waitFor(() => chat.canSend, `${user}'s chat cannot send`, { timeout: 5000 });
  return { login, chat };
}

const root = (chat: OovooChat) => chat.shadowRoot!;
const bodies = (chat: OovooChat) => [...root(chat).querySelectorAll('[part="body"]')].map((b) => b.textContent!);
const statuses = (chat: OovooChat) =>
  [...root(chat).querySelectorAll('li[part~="own"] [part="status"]')].map((s) => s.textContent!.trim());
const logOf = (chat: OovooChat) => root(chat).querySelector<HTMLElement>('[part="log"]')!;

/** waitFor, whose timeout tells how things stand then (waitFor's own message is made when it starts). */
async function until(predicate: () => boolean, state: () => string, timeout = 15000): Promise<void> {
  try {
    await waitFor(predicate, 'not yet', { timeout });
  } catch (e) {
    throw new Error(`${(e as Error).message}: ${state()}`);
  }
}

describe('<oovoo-chat> history', () => {
  it('opened again, shows the conversation with its receipts as they stand', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    // Bob reads a message only once half of it is on screen, in the log and in the window (Firefox's
    // is 800×600): when both came at once a 6rem log showed less than half of the first, and a 20rem
    // one put Bob's below Alice's with its second message at the window's edge. 12rem logs hold both
    // messages, and both chats fit in the window.
    const a = await open(alice, bob, { height: '12rem' });
    const b = await open(bob, alice, { height: '12rem' });
    await a.chat.send('one');
    await a.chat.send('two');
    await until(
      () => statuses(a.chat).join() === 'Read,Read',
      () => `statuses ${statuses(a.chat)}, bob sees ${bodies(b.chat)} with ${b.chat.unread} unread`,
    );
    await b.chat.send('three');
    await until(
      () => statuses(b.chat)[0] === 'Read',
      () => `alice never read the reply: ${statuses(b.chat)}, alice has ${a.chat.unread} unread`,
    );
    a.login.remove();

    const again = await open(alice, bob);
    await waitFor(() => bodies(again.chat).length === 3, `history: ${bodies(again.chat)}`, { timeout: 15000 });

    expect(bodies(again.chat)).to.deep.equal(['one', 'two', 'three']);
    expect(statuses(again.chat)).to.deep.equal(['Read', 'Read']);
    expect([...root(again.chat).querySelectorAll('[part="sender"]')].map((s) => s.textContent)).to.deep.equal([
      'You',
      'You',
      bob,
    ]);
    // Alice read Bob's reply before: it is no news to the page opened again.
    expect(again.chat.unread).to.equal(0);
  });

  it('opened again while receipts and a reply wait in the inbox: they join the first page by message id', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await open(alice, bob, { height: '12rem' });
    const one = await a.chat.send('one');
    a.login.remove();
    // While Alice is away Bob reads her message (its Delivered and Read wait in her inbox) and replies.
    const b = await open(bob, alice, { height: '12rem' });
    const bobStates: string[] = [];
    b.chat.addEventListener('oovoo-receipt', (e) => bobStates.push(e.detail.state));
    const messaging = b.login.client.Messaging;
    await until(
      () => bodies(b.chat).join() === 'one' && b.chat.unread === 0 && messaging.unacknowledgedSends === 0,
      () => `bob sees ${bodies(b.chat)}, unread ${b.chat.unread}, ${messaging.unacknowledgedSends} unanswered`,
    );
    await b.chat.send('two');

    // Opened again, the chat hears the waiting entries at connect, before its first page lands.
    const heard: Event[] = [];
    const hear = (e: Event) => heard.push(e);
    document.addEventListener('oovoo-receipt', hear);
    document.addEventListener('oovoo-message', hear);
    try {
      const again = await open(alice, bob, { height: '12rem' });
      await until(
        () => bodies(again.chat).join() === 'one,two' && statuses(again.chat).join() === 'Read' && !again.chat.unread,
        () => `alice sees ${bodies(again.chat)}, statuses ${statuses(again.chat)}, unread ${again.chat.unread}`,
      );
      await until(
        () => bobStates.join() === 'Delivered,Read',
        () => `bob's receipts: ${bobStates}`,
      );
      const mine = heard.filter((e) => e.target === again.chat) as CustomEvent[];
      const receipts = mine.filter((e) => e.type === 'oovoo-receipt').map((e) => e.detail);
      // Bob's receipts came live: each is announced once its message is shown, whichever came first.
      expect(receipts).to.deep.equal([
        { id: one, from: bob, state: 'Delivered' },
        { id: one, from: bob, state: 'Read' },
      ]);
      expect(mine.filter((e) => e.type === 'oovoo-message').map((e) => e.detail.body)).to.deep.equal(['two']);
      expect(bobStates).to.deep.equal(['Delivered', 'Read']);
    } finally {
      document.removeEventListener('oovoo-receipt', hear);
      document.removeEventListener('oovoo-message', hear);
    }
  });

  it('acknowledges a message first seen in the history: Delivered once, then Read', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await open(alice, bob, { height: '20rem' });
    const states: string[] = [];
    a.chat.addEventListener('oovoo-receipt', (e) => states.push(e.detail.state));
    // Bob's other page takes the message from his inbox and acknowledges nothing: his chat finds it
    // only in the history.
    const { login } = await signedInLogin(() => html``, { user: bob });
    let got = '';
    login.client.Messaging.events.on('message', (m) => (got = m.body));
    await a.chat.send('while you were away');
    await waitFor(() => got === 'while you were away', "bob's other page never got it", { timeout: 15000 });
    // A send goes through the server's writer after the inbox removal that page just sent.
    await login.client.Messaging.send({ to: uniqueUser('nobody'), body: 'barrier' });
    login.remove();

    const b = await open(bob, alice, { height: '20rem' });
    await waitFor(() => bodies(b.chat).length === 1, `history: ${bodies(b.chat)}`, { timeout: 15000 });
    await waitFor(() => statuses(a.chat).join() === 'Read', 'bob never read it', { timeout: 15000 });
    expect(states).to.deep.equal(['Delivered', 'Read']);
    expect(b.chat.unread).to.equal(0);
  });

  it('loads older pages when scrolled to the top, keeping the reader where they were', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    // Bob's own messages, sent from another page: in the history, not in his inbox.
    const { login } = await signedInLogin(() => html``, { user: bob });
    for (let i = 1; i <= 25; i++) await login.client.Messaging.send({ to: alice, body: `m${i}` });
    login.remove();
    const b = await open(bob, alice, { page: 10 });
    await waitFor(() => bodies(b.chat).length === 10, `first page: ${bodies(b.chat)}`, { timeout: 15000 });
    expect(bodies(b.chat)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `m${i + 16}`));
    const log = logOf(b.chat);
    expect(log.scrollTop + log.clientHeight).to.be.closeTo(log.scrollHeight, 2);

    const firstShown = () => root(b.chat).querySelector<HTMLElement>('li[data-id] [part="body"]')!;
    // Lit reuses the list items: find the message by its text each time.
    const m16 = () =>
      [...root(b.chat).querySelectorAll<HTMLElement>('[part="body"]')].find((p) => p.textContent === 'm16')!;
    log.scrollTop = 0;
    const before = m16().getBoundingClientRect().top;
    await waitFor(() => bodies(b.chat).length === 20, `second page: ${bodies(b.chat)}`, { timeout: 15000 });
    await b.chat.updateComplete;

    expect(bodies(b.chat)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `m${i + 6}`));
    expect(m16().getBoundingClientRect().top).to.be.closeTo(before, 2);
    expect(log.scrollTop).to.be.greaterThan(0);
    expect(firstShown().textContent).to.equal('m6');

    log.scrollTop = 0;
    await waitFor(() => bodies(b.chat).length === 25, `last page: ${bodies(b.chat)}`, { timeout: 15000 });
    expect(bodies(b.chat)).to.deep.equal(Array.from({ length: 25 }, (_, i) => `m${i + 1}`));
  });

  it('deletes an own message for everyone: the other chat shows "Message deleted", and so does a reopened one', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    await a.chat.send('keep this');
    await a.chat.send('regret this');
    await waitFor(() => bodies(b.chat).length === 2, 'bob never got both', { timeout: 15000 });
    // Only own messages have the action.
    expect(root(b.chat).querySelectorAll('[part="delete"]')).to.have.length(0);

    const buttons = root(a.chat).querySelectorAll<HTMLButtonElement>('[part="delete"]');
    expect(buttons).to.have.length(2);
    expect(buttons[1]!.title).to.equal('Delete for everyone');
    buttons[1]!.click();
    await waitFor(() => bodies(b.chat)[1] === 'Message deleted', `bob sees ${bodies(b.chat)}`, { timeout: 15000 });
    await waitFor(() => bodies(a.chat)[1] === 'Message deleted', `alice sees ${bodies(a.chat)}`, { timeout: 5000 });
    b.login.remove();
    const again = await open(bob, alice);
    await waitFor(() => bodies(again.chat).length === 2, `history: ${bodies(again.chat)}`, { timeout: 15000 });

    expect(bodies(again.chat)).to.deep.equal(['keep this', 'Message deleted']);
    expect(root(a.chat).querySelectorAll('[part="delete"]')).to.have.length(1);
    expect(statuses(a.chat)).to.have.length(1);
    await expect(a.chat).to.be.accessible();
  });

  it("shows a late joiner the call's chat so far", async () => {
    const conf = uniqueUser('room');
    const inCall = async (user: string) => {
      const { login } = await signedInLogin(
        () =>
          html`<oovoo-conference conference-id=${conf} autojoin audio="off" video="off">
            <oovoo-chat style="--oovoo-chat-height: 6rem"></oovoo-chat>
          </oovoo-conference>`,
        { user },
      );
      const conference = login.querySelector<OovooConference>('oovoo-conference')!;
      const chat = login.querySelector('oovoo-chat')!;
      await waitFor(() => conference.state === 'joined' && chat.canSend, `${user} never joined`, { timeout: 20000 });
      return { conference, chat };
    };
    const a = await inCall(uniqueUser('alice'));
    const b = await inCall(uniqueUser('bob'));
    await a.chat.send('before you came');
    await waitFor(() => bodies(b.chat).length === 1, 'bob never got it', { timeout: 15000 });
    await b.chat.send('welcome');
    await waitFor(() => bodies(a.chat).length === 2, 'alice never got it', { timeout: 15000 });

    const c = await inCall(uniqueUser('carol'));
    await waitFor(() => bodies(c.chat).length === 2, `carol sees ${bodies(c.chat)}`, { timeout: 15000 });
    // What was said before Carol came is not news to her.
    expect(c.chat.unread).to.equal(0);
    await a.chat.send('now live');
    await waitFor(() => bodies(c.chat).length === 3, `carol sees ${bodies(c.chat)}`, { timeout: 15000 });

    expect(bodies(c.chat)).to.deep.equal(['before you came', 'welcome', 'now live']);
    for (const p of [a, b, c]) p.conference.leave();
  });

  it('puts a date line between days, in the chat language through Intl', async () => {
    const chat = await fixture<OovooChat>(html`<oovoo-chat lang="de"></oovoo-chat>`);
    const day = 24 * 3600_000;
    const now = Date.now();
    const at = (ts: number, body: string) => ({ id: body, from: 'x', body, ts, own: false, recipients: [] });
    chat.messages = [at(now - 2 * day, 'a'), at(now - day, 'b'), at(now - day + 1, 'c'), at(now, 'd')];
    await chat.updateComplete;
    const format = new Intl.DateTimeFormat('de', { dateStyle: 'full' });

    const lines = [...root(chat).querySelectorAll('ol > *')].map((li) =>
      li.getAttribute('part') === 'day'
        ? `day ${li.textContent!.trim()}`
        : li.querySelector('[part="body"]')!.textContent,
    );
    expect(lines).to.deep.equal([
      `day ${format.format(now - 2 * day)}`,
      'a',
      `day ${format.format(now - day)}`,
      'b',
      'c',
      `day ${format.format(now)}`,
      'd',
    ]);
    chat.messages = [at(now, 'today only')];
    await chat.updateComplete;
    expect(root(chat).querySelectorAll('[part="day"]')).to.have.length(0);
  });
});
