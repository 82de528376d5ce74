import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { AccountService } from './accounts.js';
import { mailerFromEnvironment } from './mailer.js';
import { registerOpenApi } from './openapi.js';
import { checkPortalOptions, type PortalOptions } from './options.js';
import { PasswordResets } from './password-reset.js';
import { registerPortalPage } from './page.js';
import { registerPortalApi } from './routes.js';

export { AccountService } from './accounts.js';
export { LogMailer, SmtpMailer, type Mailer, type PortalMail } from './mailer.js';
export type { PortalOptions, PortalRate } from './options.js';
export { parsePublicUrl } from './public-url.js';

/** The developer portal: its API under /api/v1, the page at /portal, the OpenAPI file. */
export function registerPortal(
  app: FastifyInstance,
  ctx: ServerContext,
  packageRoot: string,
  options: PortalOptions = {},
): void {
  checkPortalOptions(options);
  const mailer = options.mailer ?? mailerFromEnvironment(ctx.log);
  const accounts = new AccountService(ctx.store.portal, mailer, {
    verificationTtlMs: options.verificationTtlMs,
    now: options.now,
  });
  const resets = new PasswordResets(ctx.store.portal, mailer, { ttlMs: options.passwordResetTtlMs, now: options.now });
  registerPortalApi(app, ctx, { accounts, resets }, options);
  registerOpenApi(app);
  registerPortalPage(app, options.scriptFile ?? join(packageRoot, 'dist', 'portal', 'portal.js'));
}
