import { createContext } from '@lit/context';
import type { OoVooClient } from '../sdk/client.js';
import type { ConnectionState } from '../sdk/enums.js';

/** What <oovoo-login> provides to everything inside it. */
export interface ClientContextValue {
  readonly client: OoVooClient;
  readonly userId: string | undefined;
  readonly displayName: string;
  readonly state: ConnectionState;
}

export const clientContext = createContext<ClientContextValue | undefined>(Symbol('oovoo-client'));
