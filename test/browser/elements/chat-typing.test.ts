import { expect, html } from '@open-wc/testing';
import '../../../src/elements/chat/chat.js';
import '../../../src/elements/login/login.js';
import type { OovooChat } from '../../../src/elements/chat/chat.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import { uniqueUser, waitFor } from '../helpers.js';
import { signedInLogin } from './signed-in.js';

/** A user signed in with <oovoo-login> holding one <oovoo-chat to=...> per entry of `chats`. */
async function person(user: string, ...chats: string[]): Promise<{ login: OovooLogin; chats: OovooChat[] }> {
  const { login } = await signedInLogin(() => html`${chats.map((to) => html`<oovoo-chat to=${to}></oovoo-chat>`)}`, {
    user,
  });
  const elements = [...login.querySelectorAll('oovoo-chat')];
  await waitFor(() => elements.every((c) => c.canSend), `${user}'s chats cannot send`, { timeout: 5000 });
  return { login, chats: elements };
}

const input = (chat: OovooChat) => chat.shadowRoot!.querySelector('textarea')!;

/** What the user does in the text area: its value, and the input event a keystroke makes. */
function type(chat: OovooChat, value: string): void {
  input(chat).value = value;
  input(chat).dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** The "… is typing…" line, or null while nobody types. */
const typingLine = (chat: OovooChat) => chat.shadowRoot!.querySelector('[part="typing"]')?.textContent ?? null;

const bodies = (chat: OovooChat) => [...chat.shadowRoot!.querySelectorAll('[part="body"]')].map((b) => b.textContent);

describe('<oovoo-chat> typing', () => {
  it('shows "… is typing…" while the peer types, and clears it when the message arrives', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const {
      chats: [a],
    } = await person(alice, bob);
    const {
      chats: [b],
    } = await person(bob, alice);

    type(a!, 'Hel');
    type(a!, 'Hello');
    await waitFor(() => typingLine(b!) === `${alice} is typing…`, `bob sees ${typingLine(b!)}`);
    // Inside the log, its polite live region: announced, and scrolled along with the messages.
    expect(b!.shadowRoot!.querySelector('[part="log"] [part="typing"]')).not.to.equal(null);
    expect(typingLine(a!)).to.equal(null);

    input(a!).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await waitFor(() => bodies(b!).includes('Hello'), 'the message never arrived', { timeout: 15000 });
    // Gone by the time the message shows (the stop comes first, and the message itself ends it).
    expect(typingLine(b!)).to.equal(null);
  });

  it('clears when the peer empties the input, and when the peer leaves it', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const carol = uniqueUser('carol');
    const {
      chats: [a],
    } = await person(alice, bob);
    const {
      chats: [c],
    } = await person(carol, bob);
    const {
      chats: [b],
    } = await person(bob, `${alice},${carol}`);

    type(a!, 'x');
    await waitFor(() => typingLine(b!) === `${alice} is typing…`, `bob sees ${typingLine(b!)}`);
    // Cleared by the stop, well before the line would lapse by itself (5 s).
    let since = performance.now();
    type(a!, '');
    await waitFor(() => typingLine(b!) === null, `still shows ${typingLine(b!)} after the input was emptied`);
    expect(performance.now() - since).to.be.lessThan(4000);

    type(c!, 'y');
    await waitFor(() => typingLine(b!) === `${carol} is typing…`, `bob sees ${typingLine(b!)}`);
    since = performance.now();
    input(c!).dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
    await waitFor(() => typingLine(b!) === null, `still shows ${typingLine(b!)} after carol left the input`);
    expect(performance.now() - since).to.be.lessThan(4000);
  });

  it('lets the line lapse about 5 s after the last keystroke when no stop comes', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const {
      chats: [a],
    } = await person(alice, bob);
    const {
      chats: [b],
    } = await person(bob, alice);

    type(a!, 'and then nothing');
    await waitFor(() => typingLine(b!) !== null, 'bob never saw alice typing');
    const shown = performance.now();
    await waitFor(() => typingLine(b!) === null, 'the typing line never lapsed', { timeout: 12000 });
    expect(performance.now() - shown).to.be.greaterThan(4000);
  });

  it('names two and more in a group, only in the chats with them, in its strings, as text', async () => {
    const alice = uniqueUser('<b>alice</b>');
    const carol = uniqueUser('carol');
    const dave = uniqueUser('dave');
    const bob = uniqueUser('bob');
    const {
      chats: [a],
    } = await person(alice, bob);
    const {
      chats: [c],
    } = await person(carol, bob);
    const {
      chats: [d],
    } = await person(dave, bob);
    const {
      chats: [group, withDave],
    } = await person(bob, `${alice}, ${carol}, ${dave}`, dave);
    const german = { typingOne: '{name} schreibt…', typingMany: '{name} und {count} weitere schreiben…' };
    group!.strings = german;

    type(a!, 'one');
    await waitFor(() => typingLine(group!) === `${alice} schreibt…`, `group shows ${typingLine(group!)}`);
    expect(group!.shadowRoot!.querySelector('b')).to.equal(null);
    type(c!, 'two');
    await waitFor(
      () => typingLine(group!) === `${alice} and ${carol} are typing…`,
      `group shows ${typingLine(group!)}`,
    );
    expect(typingLine(withDave!)).to.equal(null);
    type(d!, 'three');
    await waitFor(() => typingLine(group!) === `${alice} und 2 weitere schreiben…`, `group: ${typingLine(group!)}`);
    await waitFor(() => typingLine(withDave!) === `${dave} is typing…`, `chat with dave: ${typingLine(withDave!)}`);
  });
});
