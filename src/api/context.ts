import type { AgentClient } from '../agent/agent-client.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { LocalStorage } from '../storage/local-storage.ts';
import type { Store } from '../store/store.ts';
import type { EventHub } from './event-hub.ts';

/** What route plugins need; passed in explicitly, never imported from a global. */
export interface ApiContext {
  store: Store;
  agents: AgentClient;
  storage: LocalStorage;
  /** The id of the local storage new images go to. */
  defaultStorageId: () => Promise<string>;
  events: EventHub;
  identity: IdentityService;
  /** Login attempts allowed per client address per minute. */
  loginRateLimit: number;
}
