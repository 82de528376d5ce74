import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { AccountService } from './accounts.js';
import { mailerFromEnvironment } from './mailer.js';
import { registerOpenApi } from './openapi.js';
import type { PortalOptions } from './options.js';
import { registerPortalPage } from './page.js';
import { registerPortalApi } from './routes.js';

export { AccountService } from './accounts.js';
export { LogMailer, SmtpMailer, type Mailer, type PortalMail } from './mailer.js';
export type { PortalOptions } from './options.js';

/** The developer portal: its API under /api/v1, the page at /portal, the OpenAPI file. */
export function registerPortal(app: FastifyInstance, ctx: ServerContext, packageRoot: string, options: PortalOptions = {}): void {
  const accounts = new AccountService(ctx.store.portal, options.mailer ?? mailerFromEnvironment(ctx.log));
  registerPortalApi(app, ctx, accounts, options);
  registerOpenApi(app);
  registerPortalPage(app, options.scriptFile ?? join(packageRoot, 'dist', 'portal', 'portal.js'));
}
