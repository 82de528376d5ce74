import { openStore } from '../store/open-store.js';
import { AccountService, accountView } from './accounts.js';
import type { Mailer } from './mailer.js';

/** Operators are made here only: the CLI runs on the server, so whoever runs it already holds the data. */
const NO_MAIL: Mailer = { send: async () => undefined };

/** `oovoo-server admin create --email E --password P`: a verified operator account. */
export async function adminCommand(
  sub: string | undefined,
  input: {
    dataDir: string;
    storeUrl?: string;
    email: string | undefined;
    password: string | undefined;
    json: boolean;
  },
  print: (text: string) => void,
  usageError: (message: string) => Error,
): Promise<void> {
  if (sub !== 'create') throw usageError(`unknown admin command ${sub ?? '(none)'}`);
  if (!input.email) throw usageError('--email is required');
  if (!input.password) throw usageError('--password (or $OOVOO_ADMIN_PASSWORD) is required');
  const store = await openStore(input.dataDir, input.storeUrl);
  try {
    const account = await new AccountService(store.portal, NO_MAIL).create({
      email: input.email,
      password: input.password,
      role: 'operator',
      verified: true,
    });
    print(input.json ? JSON.stringify(accountView(account)) : `Operator ${account.email} created; sign in at /portal.`);
  } finally {
    await store.close();
  }
}
