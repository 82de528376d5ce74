import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/elements/chat/chat.js';
import '../../../src/elements/conference/conference.js';
import '../../../src/elements/login/login.js';
import type { OovooChat } from '../../../src/elements/chat/chat.js';
import type { ChatMessage } from '../../../src/elements/chat/chat-message.js';
import type { OovooConference } from '../../../src/elements/conference/conference.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import { packFor } from '../../../src/elements/lang/lang.js';
import { sessionTokenFor, testConfig, uniqueUser, waitFor } from '../helpers.js';
import { tileOf, uniqueConference } from './conference-helpers.js';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const text = (el: Element, name: string) => part(el, name)?.textContent?.trim() ?? '';
/** A control's label (its tooltip text is its accessible name). */
const label = (el: Element, name: string) => part(el, name)?.querySelector('.tip')?.textContent?.trim() ?? '';

/** The pack a fetch asks for (`es.json`), if it asks for one. */
const packFile = (input: RequestInfo | URL) =>
  String(input instanceof Request ? input.url : input).match(
    /\/src\/elements\/lang\/(\w+\.json)(?:\?no-inline)?$/,
  )?.[1];

/** The packs the page fetched, in order: each language once, however many elements use it. */
const fetched: string[] = [];
const fetchesOf = (file: string) => fetched.filter((f) => f === file).length;

/** Runs `body` with fetch answering the packs through `change` (the network boundary), then restores it. */
async function withPacks(change: (file: string, res: Response) => Promise<Response>, body: () => Promise<void>) {
  const realFetch = window.fetch;
  window.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    const file = packFile(input);
    return file ? change(file, res) : res;
  };
  try {
    await body();
  } finally {
    window.fetch = realFetch;
  }
}

/** Runs `body` with `<html lang>` set, then puts the page's back. */
async function withPageLang(lang: string, body: () => Promise<void>) {
  const html = document.documentElement;
  const before = html.getAttribute('lang');
  html.lang = lang;
  try {
    await body();
  } finally {
    if (before === null) html.removeAttribute('lang');
    else html.setAttribute('lang', before);
  }
}

describe('language packs', () => {
  const realFetch = window.fetch;
  before(() => {
    window.fetch = (input, init) => {
      const file = packFile(input);
      if (file) fetched.push(file);
      return realFetch(input, init);
    };
  });
  after(() => {
    window.fetch = realFetch;
  });

  it('lang on an element: the login, the chat and the conference speak Spanish; strings still override one text', async () => {
    const holder = await fixture<HTMLElement>(
      html`<div>
        <oovoo-login lang="es" mode="direct"></oovoo-login>
        <oovoo-chat lang="es-MX"></oovoo-chat>
        <oovoo-conference lang="es" .strings=${{ leave: 'Colgar' }}></oovoo-conference>
      </div>`,
    );
    const login = holder.querySelector('oovoo-login')!;
    const chat = holder.querySelector('oovoo-chat')!;
    const conference = holder.querySelector('oovoo-conference')!;

    await waitFor(() => text(conference, 'join-button') === 'Unirse', `join says ${text(conference, 'join-button')}`);
    await waitFor(() => text(chat, 'empty') === 'Aún no hay mensajes.', `chat says ${text(chat, 'empty')}`);
    await waitFor(() => text(login, 'button') === 'Iniciar sesión', `login says ${text(login, 'button')}`);

    expect(login.shadowRoot!.querySelector('label')!.textContent).to.contain('ID de usuario');
    expect(part(chat, 'input')!.getAttribute('placeholder')).to.equal('Escribe un mensaje');
    expect(text(chat, 'send')).to.equal('Enviar');
    expect(part(conference, 'controls')!.getAttribute('aria-label')).to.equal('Controles de la llamada');
    // The native lang attribute and property, as set.
    expect(conference.lang).to.equal('es');
    expect(chat.getAttribute('lang')).to.equal('es-MX');
    expect(fetchesOf('es.json')).to.equal(1);
    expect(fetchesOf('en.json')).to.equal(0);
    await expect(chat).to.be.accessible();
    await expect(conference).to.be.accessible();
  });

  it('inherits <html lang> (pt-BR takes pt, zh-Hans zh) and follows a change of it; none is English', async () => {
    const chat = await fixture<OovooChat>(html`<oovoo-chat></oovoo-chat>`);
    expect(text(chat, 'empty')).to.equal('No messages yet.');

    await withPageLang('pt-BR', async () => {
      await waitFor(() => text(chat, 'empty') === 'Nenhuma mensagem ainda.', `pt-BR: ${text(chat, 'empty')}`);
      document.documentElement.lang = 'zh-Hans';
      await waitFor(() => text(chat, 'empty') === '还没有消息。', `zh-Hans: ${text(chat, 'empty')}`);
      document.documentElement.lang = 'zh-CN';
      await chat.updateComplete;
      expect(text(chat, 'empty')).to.equal('还没有消息。');
      // Its own lang is nearer than the page's.
      chat.lang = 'es';
      await waitFor(() => text(chat, 'empty') === 'Aún no hay mensajes.', `own lang: ${text(chat, 'empty')}`);
      chat.removeAttribute('lang');
      await waitFor(() => text(chat, 'empty') === '还没有消息。', `back to the page's: ${text(chat, 'empty')}`);
    });
    await waitFor(() => text(chat, 'empty') === 'No messages yet.', `no lang: ${text(chat, 'empty')}`);
    // Inside another element's shadow root, where the page's observer does not look: its own lang still counts.
    const host = await fixture<HTMLElement>(html`<div></div>`);
    host.attachShadow({ mode: 'open' }).innerHTML = '<oovoo-chat></oovoo-chat>';
    const inner = host.shadowRoot!.querySelector('oovoo-chat')!;
    await inner.updateComplete;
    expect(text(inner, 'empty')).to.equal('No messages yet.');
    inner.lang = 'es';
    await waitFor(() => text(inner, 'empty') === 'Aún no hay mensajes.', `in a shadow root: ${text(inner, 'empty')}`);
    // A language without a pack stays English, and asks for no pack.
    chat.lang = 'it';
    await chat.updateComplete;
    expect(text(chat, 'empty')).to.equal('No messages yet.');
    expect(fetched.filter((f) => !['es.json', 'pt.json', 'zh.json'].includes(f))).to.deep.equal([]);
  });

  it('a string missing from a pack falls back to English, never to its key; a pack that fails to load leaves English', async () => {
    await withPacks(
      async (file, res) => {
        if (file === 'fr.json') return new Response('not found', { status: 404 });
        if (file !== 'de.json') return res;
        const pack = (await res.json()) as Record<string, string>;
        delete pack['join'];
        return new Response(JSON.stringify(pack));
      },
      async () => {
        const holder = await fixture<HTMLElement>(
          html`<div>
            <oovoo-conference lang="de"></oovoo-conference><oovoo-conference lang="fr"></oovoo-conference>
          </div>`,
        );
        const [german, french] = [...holder.querySelectorAll('oovoo-conference')] as [OovooConference, OovooConference];
        const controls = (el: OovooConference) => part(el, 'controls')!.getAttribute('aria-label');

        await waitFor(() => controls(german) === 'Anrufsteuerung', `de: ${controls(german)}`);
        expect(text(german, 'join-button')).to.equal('Join');
        // Once the failed pack is settled (as empty), the element has rendered again.
        await waitFor(() => packFor('fr', () => {}) !== undefined, 'the French pack never settled');
        await french.updateComplete;
        expect(text(french, 'join-button')).to.equal('Join');
        expect(controls(french)).to.equal('Call controls');
      },
    );
  });

  it('in a call: inherited from <oovoo-login lang> into the tiles; Arabic lays the bar and the tiles out right to left; axe clean', async () => {
    const config = await testConfig();
    const user = uniqueUser('lang');
    const token = await sessionTokenFor(user);
    const login = await fixture<OovooLogin>(
      html`<oovoo-login lang="es" server=${config.server} session-token=${token} user-id=${user}>
        <oovoo-conference conference-id=${uniqueConference()} autojoin style="width: 720px"></oovoo-conference>
      </oovoo-login>`,
    );
    const conference = login.querySelector('oovoo-conference')!;
    await waitFor(() => conference.state === 'joined', `never joined (${conference.state})`, { timeout: 15000 });
    const tile = () => tileOf(conference, 'local')!;

    await waitFor(() => label(conference, 'mic-button') === 'Silenciar', `mic: ${label(conference, 'mic-button')}`);
    expect(text(login, 'status')).to.contain(`Sesión iniciada como ${user}`);
    expect(label(conference, 'leave-button')).to.equal('Salir');
    await waitFor(() => text(tile(), 'name') === `${user} (Tú)`, `tile: ${text(tile(), 'name')}`);
    // The tile sits in the conference's shadow root: its language came from the login, through the host.
    expect(tile().hasAttribute('lang')).to.equal(false);
    expect(getComputedStyle(part(conference, 'controls')!).direction).to.equal('ltr');
    await expect(conference).to.be.accessible();

    login.lang = 'ar';
    await waitFor(() => label(conference, 'mic-button') === 'كتم الصوت', `ar mic: ${label(conference, 'mic-button')}`);
    await waitFor(() => text(tile(), 'name') === `${user} (أنت)`, `ar tile: ${text(tile(), 'name')}`);
    const controls = part(conference, 'controls')!;
    expect(getComputedStyle(controls).direction).to.equal('rtl');
    expect(getComputedStyle(part(tile(), 'base')!).direction).to.equal('rtl');
    // The bar runs from the right: the microphone (first) right of Leave (last).
    const mic = part(conference, 'mic-button')!.getBoundingClientRect();
    const leave = part(conference, 'leave-button')!.getBoundingClientRect();
    expect(mic.left).to.be.greaterThan(leave.right);
    // The tile's name label sits at its start: the right edge.
    const tileBox = part(tile(), 'base')!.getBoundingClientRect();
    const nameBox = part(tile(), 'label')!.getBoundingClientRect();
    expect(tileBox.right - nameBox.right).to.be.lessThan(16);
    expect(nameBox.left - tileBox.left).to.be.greaterThan(tileBox.width / 4);
    await expect(conference).to.be.accessible();

    // A dir the page gives the element wins over the language's.
    conference.setAttribute('dir', 'ltr');
    expect(getComputedStyle(part(conference, 'controls')!).direction).to.equal('ltr');
    conference.leave();
  });

  it("the chat's times go through Intl in the element's language", async () => {
    const ts = Date.UTC(2024, 4, 17, 15, 42);
    const message: ChatMessage = { id: 'm1', from: 'bob', body: 'مرحبا', ts, own: false, recipients: [] };
    const chat = await fixture<OovooChat>(html`<oovoo-chat lang="ar"></oovoo-chat>`);
    chat.messages = [message];
    await chat.updateComplete;

    const time = () => chat.shadowRoot!.querySelector('[part="time"]')!.textContent!.trim();
    const format = (lang: string) => new Date(ts).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
    expect(format('ar')).to.not.equal(format('en'));
    expect(time()).to.equal(format('ar'));
    expect(getComputedStyle(part(chat, 'log')!).direction).to.equal('rtl');
    chat.lang = 'de';
    await chat.updateComplete;
    expect(time()).to.equal(format('de'));
    await expect(chat).to.be.accessible();
  });
});
