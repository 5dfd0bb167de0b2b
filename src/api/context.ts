import type { AgentClient } from '../agent/agent-client.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { JoinTokens } from '../identity/join-tokens.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { BillingService } from '../billing/billing-service.ts';
import type { CapacityService } from '../cloud/capacity.ts';
import type { BillingPort } from '../cloud/ports.ts';
import type { QuotaService } from '../cloud/quota-service.ts';
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
  cloud: { capacity: CapacityService; quotas: QuotaService; billing: BillingPort };
  billing: BillingService;
  /** Seals secrets kept at rest (BMC passwords). */
  secrets: SecretBox;
  /** Join tokens with which agents enrol as hosts. */
  joinTokens: JoinTokens;
  /** Login attempts allowed per client address per minute. */
  loginRateLimit: number;
}
