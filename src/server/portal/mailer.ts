import type { FastifyBaseLogger } from 'fastify';

/** One message from the portal to a developer. */
export interface PortalMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The link the mail carries (verification or password reset), for mailers that log or capture it. */
  readonly link?: string;
  /** What the mail is for. */
  readonly kind?: 'verification' | 'password-reset';
}

/** Where the portal's mail goes: SMTP, the server log, or (in tests) a list. */
export interface Mailer {
  send(mail: PortalMail): Promise<void>;
}

/** The embedded default: no mail server, so the link goes to the server log for the operator to pass on. */
export class LogMailer implements Mailer {
  constructor(private readonly log: FastifyBaseLogger) {}

  async send(mail: PortalMail): Promise<void> {
    this.log.warn(
      { to: mail.to, subject: mail.subject, link: mail.link },
      'portal mail (no SMTP configured): %s',
      mail.link ?? mail.text,
    );
  }
}

/** SMTP through nodemailer, e.g. `smtps://user:pass@smtp.example.com`; loaded only when configured. */
export class SmtpMailer implements Mailer {
  private transport: Promise<{ sendMail(mail: object): Promise<unknown> }> | undefined;

  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  async send(mail: PortalMail): Promise<void> {
    this.transport ??= import('nodemailer').then((m) => m.default.createTransport(this.url));
    await (await this.transport).sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }
}

/** SMTP when `OOVOO_SMTP_URL` is set (sender from `OOVOO_MAIL_FROM`), else the log. */
export function mailerFromEnvironment(log: FastifyBaseLogger, env: NodeJS.ProcessEnv = process.env): Mailer {
  const url = env.OOVOO_SMTP_URL;
  if (!url) return new LogMailer(log);
  return new SmtpMailer(url, env.OOVOO_MAIL_FROM ?? 'oovoo-server <no-reply@localhost>');
}
