import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PortalClient } from '../helpers/portal.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { SmtpMailer } from '../../src/server/portal/index.js';

/** A stand-in SMTP server on loopback (a mail provider is an edge tests cannot reach): keeps each message's DATA. */
function smtpStandIn(messages: string[]): Server {
  return createServer((socket) => {
    let data: string | undefined;
    let buffer = '';
    socket.write('220 localhost ESMTP stand-in\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (data !== undefined) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push(data + buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          data = undefined;
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol).toUpperCase();
        buffer = buffer.slice(eol + 2);
        if (line.startsWith('EHLO')) socket.write('250-localhost\r\n250 8BITMIME\r\n');
        else if (line.startsWith('DATA')) {
          data = '';
          socket.write('354 go on\r\n');
        } else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
}

/** The body as written: nodemailer sends text as quoted-printable when lines are long. */
function quotedPrintable(text: string): string {
  return text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('portal mail over SMTP', () => {
  const messages: string[] = [];
  let smtp: Server;
  let server: TestServer;

  before(async () => {
    smtp = smtpStandIn(messages);
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.address() as { port: number }).port;
    server = await startTestServer({
      ...relaxedLimits,
      portal: { mailer: new SmtpMailer(`smtp://127.0.0.1:${port}`, 'portal@example.com') },
    });
  });
  after(async () => {
    await server.stop();
    await new Promise((resolve) => smtp.close(resolve));
  });

  it('mails the verification link through nodemailer, and the link verifies', async () => {
    const client = new PortalClient(server.url);
    assert.equal((await client.signUp('smtp@example.com', 'correct horse battery')).status, 201);
    assert.equal(messages.length, 1);
    const mail = messages[0]!;
    assert.match(mail, /^To: smtp@example\.com$/m);
    assert.match(mail, /^From: portal@example\.com$/m);
    assert.match(mail, /^Subject: Verify your email for the oovoo developer portal$/m);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/verify\?token=[\w-]+)/.exec(quotedPrintable(mail))?.[1];
    assert.ok(link, 'the mail carries the link');
    assert.equal((await client.verify(link)).status, 200);
  });
});
