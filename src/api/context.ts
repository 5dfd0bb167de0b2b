import type { PowerManager } from '../power/power-manager.ts';
import type { AgentClient } from '../agent/agent-client.ts';
import type { IdentityService, MailQueue } from '../identity/identity-service.ts';
import type { JoinTokens } from '../identity/join-tokens.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { BillingService } from '../billing/billing-service.ts';
import type { ApplianceLimits } from '../cloud/appliance-limits.ts';
import type { CapacityService } from '../cloud/capacity.ts';
import type { BillingPort } from '../cloud/ports.ts';
import type { QuotaService } from '../cloud/quota-service.ts';
import type { RequestOrders } from '../cloud/request-orders.ts';
import type { ImportDirs } from '../storage/import-dirs.ts';
import type { KernelStore } from '../storage/kernel-store.ts';
import type { LocalStorage } from '../storage/local-storage.ts';
import type { StackApplier } from '../stacks/stack-applier.ts';
import type { StackPlanner } from '../stacks/stack-planner.ts';
import type { Store } from '../store/store.ts';
import type { HaAdmissionCheck } from '../ha/admission-check.ts';
import type { PlacementPolicy } from '../domain/placement-constraints.ts';
import type { EventHub } from './event-hub.ts';
import type { Metrics } from './metrics.ts';

/** What route plugins need; passed in explicitly, never imported from a global. */
export interface ApiContext {
  store: Store;
  agents: AgentClient;
  storage: LocalStorage;
  /** The id of the local storage new images go to. */
  defaultStorageId: () => Promise<string>;
  events: EventHub;
  identity: IdentityService;
  cloud: { capacity: CapacityService; quotas: QuotaService; billing: BillingPort; limits: ApplianceLimits; orders: RequestOrders };
  /** Stacks: plans and applies of stack documents. */
  stacks: { planner: StackPlanner; applier: StackApplier };
  billing: BillingService;
  /** Seals secrets kept at rest (BMC passwords). */
  secrets: SecretBox;
  /** Join tokens with which agents enrol as hosts. */
  joinTokens: JoinTokens;
  metrics: Metrics;
  /**
   * A token that may read /metrics (besides an admin's API token), for a Prometheus server; none:
   * only admins' tokens.
   */
  metricsToken: string | undefined;
  /**
   * A token that may read the Puppet ENC (besides an admin's API token), for a Puppet server's
   * `external_nodes` script; none: only admins' tokens.
   */
  puppetToken?: string | undefined;
  /** Where account mail goes (the e-mail verification code), inside the caller's transaction. */
  mail: MailQueue;
  /** Calls per minute one user may make to each route that creates work or sends mail. */
  userRateLimit: number;
  /** Login attempts allowed per client address per minute. */
  loginRateLimit: number;
  uploads: UploadContext;
  /**
   * High availability: the hosts' lease length (fence-confirm needs it), the continuous N+1
   * check, and whether new HA appliances must keep N+1.
   */
  ha: { leaseMs: number; check: HaAdmissionCheck; admission: 'enforce' | 'warn'; cpuAllocationRatio: number };
  /** How the scheduler ranks hosts where neither the product nor the appliance says. */
  placementPolicy: PlacementPolicy;
  /** Green IT: the power manager (its plan is shown even when it is not enabled). */
  power: { manager: PowerManager; enabled: boolean };
}

/** Where image and kernel data may come from, and how much of it. */
export interface UploadContext {
  /** Server directories an admin may import from; nothing outside them is read. */
  importDirs: ImportDirs;
  kernels: KernelStore;
  /** Largest image, as received and as unpacked. */
  maxImageBytes: number;
  /** Largest vmlinuz or initrd. */
  maxKernelFileBytes: number;
  /** An upload that sends nothing for this long is cut off. */
  stallMs: number;
}
