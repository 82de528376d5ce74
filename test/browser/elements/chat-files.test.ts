import { expect, html } from '@open-wc/testing';
import '../../../src/elements/chat/chat.js';
import '../../../src/elements/login/login.js';
import type { OovooChat } from '../../../src/elements/chat/chat.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import { FILE_TOO_LARGE_CODE, FileLimits, type FileInfo } from '../../../src/protocol/files.js';
import { ErrorCode, OoVooError, type ReceivedMessage } from '../../../src/sdk/index.js';
import { uniqueUser, waitFor } from '../helpers.js';
import { signedInLogin } from './signed-in.js';

/** Files and images in <oovoo-chat> and `Messaging.upload` / `download`, against the real server. */

interface Person {
  login: OovooLogin;
  chat: OovooChat;
}

async function open(user: string, to: string): Promise<Person> {
  const { login } = await signedInLogin(
    () => html`<oovoo-chat to=${to} style="--oovoo-chat-height: 12rem"></oovoo-chat>`,
    { user },
  );
  const chat = login.querySelector('oovoo-chat')!;
  await waitFor(() => chat.canSend, `${user}'s chat cannot send`, { timeout: 10000 });
  return { login, chat };
}

const root = (chat: OovooChat) => chat.shadowRoot!;
const bodies = (chat: OovooChat) => [...root(chat).querySelectorAll('[part="body"]')].map((b) => b.textContent!);
const part = <T extends Element = HTMLElement>(chat: OovooChat, name: string) =>
  root(chat).querySelector<T>(`[part~="${name}"]`);

async function sha256(data: Blob | ArrayBuffer): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An 800×600 PNG drawn here. */
async function png(name: string): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 800;
  canvas.height = 600;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#0a66d8';
  g.fillRect(0, 0, 800, 600);
  g.fillStyle = '#fff';
  g.fillRect(100, 100, 300, 200);
  const blob = await new Promise<Blob>((done) => canvas.toBlob((b) => done(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

/** A small PDF (its header is what the server goes by), with random bytes so its hash is its own. */
function pdf(name: string): File {
  const head = new TextEncoder().encode('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
  const body = crypto.getRandomValues(new Uint8Array(50_000));
  const tail = new TextEncoder().encode('\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
  return new File([head, body, tail], name, { type: 'application/pdf' });
}

/** Random bytes: no type the server knows, sent as a download. */
function bin(name: string, size: number): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
  return new File([bytes], name, { type: 'application/octet-stream' });
}

/** Files as a user drops them on the chat. */
function drop(chat: OovooChat, files: File[]): void {
  const dataTransfer = new DataTransfer();
  for (const f of files) dataTransfer.items.add(f);
  const init = { dataTransfer, bubbles: true, cancelable: true, composed: true };
  chat.dispatchEvent(new DragEvent('dragover', init));
  chat.dispatchEvent(new DragEvent('drop', init));
}

/** Files as a user picks them with the attach button's chooser. */
function choose(chat: OovooChat, files: File[]): void {
  const dataTransfer = new DataTransfer();
  for (const f of files) dataTransfer.items.add(f);
  const input = root(chat).querySelector<HTMLInputElement>('input[type="file"]')!;
  input.files = dataTransfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<oovoo-chat> files and images', () => {
  it('sends an image and a PDF: the other page shows the thumbnail, opens it full size, and downloads the PDF intact', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    const picture = await png('view.png');
    const report = pdf('report.pdf');

    expect(part(a.chat, 'attach')!.getAttribute('aria-label')).to.equal('Attach files');
    drop(a.chat, [picture]);
    await waitFor(() => bodies(b.chat).length === 1, `bob sees ${bodies(b.chat)}`, { timeout: 20000 });
    choose(a.chat, [report]);
    await waitFor(() => bodies(b.chat).length === 2, `bob sees ${bodies(b.chat)}`, { timeout: 20000 });
    // Apps on the spec's API see the names as the text.
    expect(bodies(b.chat)).to.deep.equal(['view.png', 'report.pdf']);

    // The thumbnail: made in the sender's browser, at most 320 px, shown through an object URL.
    const thumb = () => root(b.chat).querySelector<HTMLImageElement>('[part="thumbnail"] img');
    await waitFor(() => thumb()?.complete && thumb()!.naturalWidth > 0, 'no thumbnail on bob', { timeout: 15000 });
    expect(thumb()!.src).to.match(/^blob:/);
    expect(thumb()!.alt).to.equal('view.png');
    expect([thumb()!.naturalWidth, thumb()!.naturalHeight]).to.deep.equal([320, 240]);
    const button = part(b.chat, 'thumbnail')!;
    expect(button.getAttribute('aria-label')).to.equal('Open view.png full size');

    button.click();
    const full = () => root(b.chat).querySelector<HTMLImageElement>('[part="full-image"]');
    await waitFor(() => full()?.complete && full()!.naturalWidth > 0, 'no full-size image', { timeout: 15000 });
    const viewer = part<HTMLDialogElement>(b.chat, 'viewer')!;
    expect(viewer.open).to.equal(true);
    expect([full()!.naturalWidth, full()!.naturalHeight]).to.deep.equal([800, 600]);
    expect(await sha256(await (await fetch(full()!.src)).blob())).to.equal(await sha256(picture));
    part(b.chat, 'viewer-close')!.click();
    await waitFor(() => !part(b.chat, 'viewer'), 'the viewer stayed open');

    // The PDF: name, size in words, and a link that downloads the very bytes sent.
    const link = part<HTMLAnchorElement>(b.chat, 'file-download')!;
    expect(link.textContent).to.equal('report.pdf');
    expect(link.download).to.equal('report.pdf');
    expect(part(b.chat, 'file-size')!.textContent).to.equal(
      new Intl.NumberFormat(undefined, {
        style: 'unit',
        unit: 'kilobyte',
        unitDisplay: 'short',
        maximumFractionDigits: 1,
      }).format(report.size / 1024),
    );
    const followed = new Promise<string>((resolve) =>
      link.addEventListener('click', (e) => {
        // The element's own first click fetches; the second follows the link it became: keep it in the page.
        if (!link.href.startsWith('blob:')) return;
        e.preventDefault();
        resolve(link.href);
      }),
    );
    link.click();
    const href = await followed;
    const downloaded = await (await fetch(href)).blob();
    // Saved, never shown: whatever it holds, the page has it only as bytes.
    expect(downloaded.type).to.equal('application/octet-stream');
    expect(await sha256(downloaded)).to.equal(await sha256(report));

    // The sender's own page shows them too, and a reopened page from the history.
    await waitFor(() => root(a.chat).querySelector('[part="thumbnail"] img'), 'alice sees no thumbnail');
    expect(part(a.chat, 'file-download')!.textContent).to.equal('report.pdf');
    b.login.remove();
    const again = await open(bob, alice);
    await waitFor(() => bodies(again.chat).length === 2, `history: ${bodies(again.chat)}`, { timeout: 15000 });
    const kept = () => root(again.chat).querySelector<HTMLImageElement>('[part="thumbnail"] img');
    await waitFor(() => kept()?.complete && kept()!.naturalWidth === 320, 'no thumbnail in the history', {
      timeout: 15000,
    });
    expect(part(again.chat, 'file-download')!.textContent).to.equal('report.pdf');
    await expect(again.chat).to.be.accessible();
  });

  it('shows the progress of an upload, and a canceled one sends nothing', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    const big = bin('big.bin', 6 * 1024 * 1024);

    // Every value the progress bar showed.
    const seen: number[] = [];
    const watch = new MutationObserver(() => {
      const bar = part<HTMLProgressElement>(a.chat, 'upload-progress');
      if (bar) seen.push(bar.value / bar.max);
    });
    watch.observe(root(a.chat), { subtree: true, childList: true, attributes: true });
    choose(a.chat, [big]);
    await waitFor(() => bodies(b.chat).length === 1, `bob sees ${bodies(b.chat)}`, { timeout: 30000 });
    watch.disconnect();
    expect(seen.length).to.be.greaterThan(0);
    expect(Math.max(...seen)).to.equal(1);
    await waitFor(() => !part(a.chat, 'upload'), 'the progress bar stayed');

    // Canceled once bytes are going: the upload stops and no message goes.
    let canceledAt: number | undefined;
    const cancelOnProgress = new MutationObserver(() => {
      const bar = part<HTMLProgressElement>(a.chat, 'upload-progress');
      if (canceledAt === undefined && bar && bar.value > 0) {
        canceledAt = bar.value;
        part(a.chat, 'upload-cancel')!.click();
      }
    });
    cancelOnProgress.observe(root(a.chat), { subtree: true, childList: true, attributes: true });
    const errors: unknown[] = [];
    a.chat.addEventListener('oovoo-error', (e) => errors.push(e.detail));
    // The upload's request, to see how it ended.
    const requests: XMLHttpRequest[] = [];
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
      requests.push(this);
      send.call(this, body);
    };
    try {
      choose(a.chat, [bin('canceled.bin', 6 * 1024 * 1024)]);
      await waitFor(() => canceledAt !== undefined, 'no progress to cancel at', { timeout: 30000 });
    } finally {
      XMLHttpRequest.prototype.send = send;
      cancelOnProgress.disconnect();
    }
    expect(requests).to.have.length(1);
    // Aborted: back to unsent, with no answer (a request that ran its course would be done, with 201).
    expect([requests[0]!.readyState, requests[0]!.status]).to.deep.equal([XMLHttpRequest.UNSENT, 0]);
    await waitFor(() => !part(a.chat, 'uploads'), 'the canceled upload still shows');
    await a.chat.send('after the cancel');
    await waitFor(() => bodies(b.chat).length === 2, `bob sees ${bodies(b.chat)}`, { timeout: 15000 });
    expect(bodies(b.chat)).to.deep.equal(['big.bin', 'after the cancel']);
    expect(bodies(a.chat)).to.deep.equal(['big.bin', 'after the cancel']);
    expect(errors).to.deep.equal([]);
  });

  it('explains a file too large for the app in words, and sends nothing', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    const errors: Array<{ code: number }> = [];
    a.chat.addEventListener('oovoo-error', (e) => errors.push(e.detail));

    a.chat.attach([bin('huge.bin', FileLimits.defaultMaxBytes + 1)]);
    await waitFor(() => part(a.chat, 'upload-error'), 'no error shown', { timeout: 30000 });
    const error = part(a.chat, 'upload-error')!;
    expect(error.querySelector('[role="alert"]')!.textContent).to.equal(
      'huge.bin was not sent: it is larger than this chat accepts. Send a smaller file.',
    );
    expect(errors.map((e) => e.code)).to.deep.equal([FILE_TOO_LARGE_CODE]);
    expect(part(a.chat, 'upload-progress')).to.equal(null);
    await expect(a.chat).to.be.accessible();

    part(a.chat, 'upload-dismiss')!.click();
    await waitFor(() => !part(a.chat, 'upload-error'), 'the error stayed');
    await a.chat.send('only this');
    await waitFor(() => bodies(b.chat).length === 1, `bob sees ${bodies(b.chat)}`, { timeout: 15000 });
    expect(bodies(b.chat)).to.deep.equal(['only this']);
    expect(bodies(a.chat)).to.deep.equal(['only this']);
  });

  it('Messaging.upload, send with files, download; abort and refusals as OoVooError', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const { login: a } = await signedInLogin(() => html``, { user: alice });
    const { login: b } = await signedInLogin(() => html``, { user: bob });
    const { login: carol } = await signedInLogin(() => html``, { prefix: 'carol' });
    const received = new Promise<ReceivedMessage>((resolve) => b.client.Messaging.events.on('message', resolve));
    const file = pdf('notes.pdf');

    const progress: Array<[number, number]> = [];
    const info: FileInfo = await a.client.Messaging.upload(file, {
      with: bob,
      onProgress: (sent, total) => progress.push([sent, total]),
    });
    expect(info.id).to.match(FileLimits.idPattern);
    expect({ name: info.name, size: info.size, type: info.type }).to.deep.equal({
      name: 'notes.pdf',
      size: file.size,
      type: 'application/pdf',
    });
    expect(progress.at(-1)).to.deep.equal([file.size, file.size]);

    await a.client.Messaging.send({ to: bob, body: 'notes.pdf', files: [info] });
    const message = await received;
    expect(message.files).to.deep.equal([info]);
    const bytes = await b.client.Messaging.download(info.id);
    expect(await sha256(bytes)).to.equal(await sha256(file));

    // Someone outside the conversation may not read it.
    const refused = await carol.client.Messaging.download(info.id).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(OoVooError);
    expect((refused as OoVooError).code).to.equal(ErrorCode.NotAuthorized);
    const badId = await a.client.Messaging.download('nope').catch((e: unknown) => e);
    expect((badId as OoVooError).code).to.equal(ErrorCode.BadRequest);
    const noConversation = await a.client.Messaging.upload(file, {}).catch((e: unknown) => e);
    expect((noConversation as OoVooError).code).to.equal(ErrorCode.BadRequest);

    // Aborted as bytes go: the Promise rejects, the spec's callback gets the error.
    const abort = new AbortController();
    let result: unknown;
    const aborted = await a.client.Messaging.upload(
      bin('abort.bin', 4 * 1024 * 1024),
      { with: bob, signal: abort.signal, onProgress: () => abort.abort() },
      (r) => (result = r),
    ).catch((e: unknown) => e);
    expect((aborted as OoVooError).description).to.equal('The upload was canceled.');
    expect(result).to.deep.equal({ error: (aborted as OoVooError).info });
  });
});
