import { expect, html } from '@open-wc/testing';
import '../../../src/elements/chat/chat.js';
import '../../../src/elements/conversations/conversations.js';
import '../../../src/elements/login/login.js';
import type { OovooChat } from '../../../src/elements/chat/chat.js';
import type { OovooConversations } from '../../../src/elements/conversations/conversations.js';
import type { OovooConversationSelectEvent } from '../../../src/elements/events/conversation-select.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import { uniqueUser, waitFor } from '../helpers.js';
import { signedInLogin } from './signed-in.js';

/** <oovoo-conversations> with a real server: the list, its pages and unread counts, the chat it drives, live changes. */

/** Sends from `from`'s own signed-in page, then closes it (its messages are in the others' inboxes and the history). */
async function sendAs(from: string, messages: Array<[to: string | string[], body: string]>): Promise<OovooLogin> {
  const { login } = await signedInLogin(() => html``, { user: from });
  for (const [to, body] of messages) await login.client.Messaging.send({ to, body });
  return login;
}

/** `user`'s messenger: the list with a chat inside, as markup alone makes it. */
// The chat's log is tall enough that each message of a test is really seen (Read needs half of it on screen).
async function messenger(user: string, attrs: { pageSize?: number; width?: string } = {}) {
  const { login } = await signedInLogin(
    () =>
      html`<oovoo-conversations page-size=${attrs.pageSize ?? 30} style="width: ${attrs.width ?? '60rem'}"
        ><oovoo-chat style="--oovoo-chat-height: 20rem"></oovoo-chat
      ></oovoo-conversations>`,
    { user },
  );
  const list = login.querySelector('oovoo-conversations')!;
  const chat = login.querySelector('oovoo-chat')!;
  return { login, list, chat };
}

const root = (list: OovooConversations) => list.shadowRoot!;
const options = (list: OovooConversations) => [...root(list).querySelectorAll<HTMLElement>('[role="option"]')];
/** Each listed conversation as `name|preview|unread`. */
const rows = (list: OovooConversations) =>
  options(list).map((o) =>
    ['name', 'preview', 'unread'].map((p) => o.querySelector(`[part="${p}"]`)?.textContent?.trim() ?? '0').join('|'),
  );
const unreadOf = (list: OovooConversations, name: string) =>
  rows(list)
    .find((r) => r.startsWith(`${name}|`))
    ?.split('|')[2];
const bodies = (chat: OovooChat) => [...chat.shadowRoot!.querySelectorAll('[part="body"]')].map((b) => b.textContent);
const visible = (el: Element) => (el as HTMLElement).offsetParent !== null;

describe('<oovoo-conversations>', () => {
  it('lists conversations newest first with their last message and unread count, a page at a time', async () => {
    const alice = uniqueUser('alice');
    const [bob, carol, dave] = [uniqueUser('bob'), uniqueUser('carol'), uniqueUser('dave')];
    (await sendAs(bob, [[alice, 'hi from bob']])).remove();
    (
      await sendAs(carol, [
        [alice, 'one'],
        [alice, 'two'],
      ])
    ).remove();
    (await sendAs(dave, [[alice, 'from dave']])).remove();
    (await sendAs(bob, [[[alice, carol], 'to the group']])).remove();

    const { list } = await messenger(alice, { pageSize: 2 });
    await waitFor(() => options(list).length === 2, `first page: ${rows(list)}`, { timeout: 15000 });
    const group = [bob, carol].sort().join(', ');
    expect(rows(list)).to.deep.equal([`${group}|to the group|1`, `${dave}|from dave|1`]);
    expect(root(list).querySelector('[part="time"]')!.textContent!.trim()).to.not.equal('');

    root(list).querySelector<HTMLButtonElement>('[part="more"]')!.click();
    await waitFor(() => options(list).length === 4, `second page: ${rows(list)}`, { timeout: 15000 });
    expect(rows(list)).to.deep.equal([
      `${group}|to the group|1`,
      `${dave}|from dave|1`,
      `${carol}|two|2`,
      `${bob}|hi from bob|1`,
    ]);
    await waitFor(() => !root(list).querySelector('[part="more"]'), 'a third page was offered');
    await expect(list).to.be.accessible();
  });

  it('chosen with the keyboard, points the chat inside at the conversation, which reads it down to 0', async () => {
    const alice = uniqueUser('alice');
    const [bob, carol] = [uniqueUser('bob'), uniqueUser('carol')];
    (
      await sendAs(carol, [
        [alice, 'c1'],
        [alice, 'c2'],
      ])
    ).remove();
    (await sendAs(bob, [[alice, 'b1']])).remove();
    const { list, chat } = await messenger(alice);
    await waitFor(() => options(list).length === 2, `list: ${rows(list)}`, { timeout: 15000 });
    expect(visible(chat)).to.equal(false, 'no chat before a conversation is chosen');
    const chosen: OovooConversationSelectEvent[] = [];
    list.addEventListener('oovoo-conversation-select', (e) => chosen.push(e));

    options(list)[0]!.focus();
    options(list)[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await waitFor(() => list.shadowRoot!.activeElement === options(list)[1], 'ArrowDown did not move the focus');
    options(list)[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));

    await waitFor(() => chosen.length === 1, 'no oovoo-conversation-select');
    expect(chosen[0]!.detail).to.deep.equal({ with: carol });
    expect(list.selected).to.equal(carol);
    expect(list.getAttribute('selected')).to.equal(carol);
    expect(chat.to).to.equal(carol);
    expect(options(list)[1]!.getAttribute('aria-selected')).to.equal('true');
    await waitFor(() => bodies(chat).join() === 'c1,c2', `chat shows ${bodies(chat)}`, { timeout: 15000 });
    await waitFor(() => unreadOf(list, carol) === '0', `unread stays ${unreadOf(list, carol)}`, { timeout: 15000 });
    expect(unreadOf(list, bob)).to.equal('1');

    // The chat sent Read as the messages showed: the server counts 0 too (what a list opened again reads).
    const { login } = await signedInLogin(() => html``, { user: alice });
    await waitFor(
      async () => (await login.client.Messaging.conversations()).items.find((c) => c.with === carol)?.unread === 0,
      'the server still counts carol unread',
      { timeout: 15000, interval: 250 },
    );
    login.remove();
  });

  it('updates live: a new message comes first with its badge, typing shows, and a narrow one shows one pane at a time', async () => {
    const alice = uniqueUser('alice');
    const [bob, carol] = [uniqueUser('bob'), uniqueUser('carol')];
    (await sendAs(bob, [[alice, 'early']])).remove();
    (await sendAs(carol, [[alice, 'later']])).remove();
    const { list, chat } = await messenger(alice, { width: '24rem' });
    await waitFor(() => rows(list)[0] === `${carol}|later|1`, `list: ${rows(list)}`, { timeout: 15000 });

    const bobPage = await sendAs(bob, [[alice, 'news']]);
    await waitFor(() => rows(list)[0] === `${bob}|news|2`, `after the news: ${rows(list)}`, { timeout: 15000 });
    await bobPage.client.Messaging.typing(alice, true);
    await waitFor(() => rows(list)[0] === `${bob}|typing…|2`, `typing: ${rows(list)}`, { timeout: 15000 });
    await bobPage.client.Messaging.typing(alice, false);
    await waitFor(() => rows(list)[0] === `${bob}|news|2`, `typing stopped: ${rows(list)}`, { timeout: 15000 });
    bobPage.remove();

    // Narrow: the list alone, then the chat alone with its back button.
    const back = root(list).querySelector<HTMLButtonElement>('[part="back"]')!;
    expect(visible(root(list).querySelector('[part="list"]')!)).to.equal(true);
    options(list)[0]!.click();
    await waitFor(() => visible(chat), 'the chat never showed');
    expect(visible(root(list).querySelector('[part="list"]')!)).to.equal(false);
    expect(visible(back)).to.equal(true);
    await waitFor(() => unreadOf(list, bob) === '0', `unread stays ${unreadOf(list, bob)}`, { timeout: 15000 });
    back.click();
    await waitFor(() => visible(root(list).querySelector('[part="list"]')!), 'back never showed the list');
    expect(visible(chat)).to.equal(false);
  });
});
