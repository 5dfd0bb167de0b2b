import type { CloudRequest } from '../domain/cloud-request.ts';
import type { Size } from '../domain/product.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Repos } from '../store/store.ts';

/**
 * What the cloud lifecycle needs from billing and mail, and nothing more. The control plane
 * plugs the real billing engine and mail outbox in; both act inside the caller's transaction, so
 * a state change, its meter and its mail commit together or not at all.
 */
export interface Quote {
  /** For the whole quantity. */
  ccuPerHourMilli: number;
  components: Array<{ component: string; quantity: number; ccuPerHourMilli: number }>;
  currency: { code: string; ccuPerUnit: number };
}

export interface BillingPort {
  /** `configGroups`: those the appliances carry (their product's), billed when the price list names them. */
  quote(size: Size, virtualization: Virtualization, ha: boolean, quantity: number, configGroups?: readonly string[]): Promise<Quote>;
  /** Starts metering the request's appliances (idempotent per request). */
  openMeters(tx: Repos, request: CloudRequest, at: Date): Promise<void>;
  /** Stops metering (idempotent). */
  closeMeters(tx: Repos, requestId: string, at: Date): Promise<void>;
  /**
   * Re-prices the open meters whose appliance now runs on another virtualization (it was moved):
   * each is closed at `at` and a new one opened at the new price, so the old price is charged up
   * to that moment and the new one from it. Returns how many meters were re-priced.
   */
  reprice(tx: Repos, request: CloudRequest, running: Array<{ applianceId: string; virtualization: Virtualization }>, at: Date): Promise<number>;
  balanceMilli(userId: string): Promise<number>;
  /** What the user was charged since the start of this calendar month (UTC), read through `via`. */
  monthSpendMilli(via: Repos, userId: string, now: Date): Promise<number>;
}

export interface OutgoingMail {
  to: string;
  /** The user it is for: its events belong to them. */
  recipientId: string;
  template: string;
  vars: Record<string, string>;
  /** Same key, one mail: a replayed transition never mails twice. */
  idempotencyKey: string;
  related: { kind: string; id: string };
}

export interface MailPort {
  enqueue(tx: Repos, mail: OutgoingMail): Promise<void>;
}
