import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Every object table has the same core columns; `spec` and
 * `status` are JSON text so one schema runs on SQLite and PostgreSQL alike. Columns beside them
 * (type, host_id, …) are copies of fields that lists filter on, written by the same statement.
 */
export interface ObjectColumns {
  id: string;
  name: string;
  spec: string;
  status: string;
  version: number;
  generation: number;
  created_at: string;
  updated_at: string;
}

export interface ResourcesTable extends ObjectColumns {
  type: string;
  host_id: string | null;
}

export interface AppliancesTable extends ObjectColumns {
  owner_id: string | null;
  image_id: string;
  host_id: string | null;
  phase: string;
  /** Where it runs or last ran, else the type it asks for; null: `any`, never placed (migration 014). */
  virtualization: string | null;
  deletion_requested_at: string | null;
  finalizers: string;
}

export interface ImagesTable extends ObjectColumns {
  storage_id: string;
  format: string;
  parent_id: string | null;
}

export type KernelsTable = ObjectColumns;
export type GroupsTable = ObjectColumns;

export interface UsersTable extends ObjectColumns {
  role: string;
  group_id: string | null;
  /** Never read into a User object; only the password check sees it. */
  password_hash: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Null: the token never expires. */
  expires_at: string | null;
}

export interface EmailVerificationsTable {
  user_id: string;
  /** The address that becomes the user's once verified. */
  email: string;
  /** SHA-256 of the code mailed to it. */
  code_hash: string;
  expires_at: string;
  /** Wrong codes tried so far. */
  attempts: number;
}

export interface SessionsTable {
  /** SHA-256 of the session id; the id itself lives only in the user's cookie. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}
export type StoragesTable = ObjectColumns;
export type NetworksTable = ObjectColumns;
/** Configuration groups (migration 017). */
export type ConfigGroupsTable = ObjectColumns;

export interface AddressesTable {
  network_id: string;
  address: string;
  appliance_id: string;
  created_at: string;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  time: string;
  type: string;
  kind: string;
  object_id: string;
  /** The cloud user the event belongs to; null: only admins see it (migrations/010-event-owner.ts). */
  owner_id: string | null;
  message: string;
  data: string;
  /** Null until the outbox relay has handed the event to the bus. */
  published_at: string | null;
}

/** One row (id 1): the last event seq handed out (see migrations/006-event-order.ts). */
export interface EventCounterTable {
  id: number;
  seq: number;
}

export type ProductsTable = ObjectColumns;

export interface CloudRequestsTable extends ObjectColumns {
  owner_id: string;
  state: string;
}

export interface ReservationsTable {
  id: string;
  request_id: string;
  unit: number;
  host_id: string;
  cpu: number;
  memory_mib: number;
  disk_mib: number;
  start_at: string;
  end_at: string;
}

export interface QuotasTable {
  subject_kind: 'user' | 'group';
  subject_id: string;
  limits: string;
  updated_at: string;
}

export interface CapacityEpochTable {
  id: number;
  version: number;
}

export interface JoinTokensTable {
  id: string;
  secret_hash: string;
  /** The host this token re-enrols; null: a new host. */
  host_id: string | null;
  note: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by_host_id: string | null;
  revoked_at: string | null;
}

export interface HostKeysTable {
  host_id: string;
  identity_key: string;
  transit_key: string;
  machine_id: string;
  join_token_id: string;
  enrolled_at: string;
}

export interface StacksTable {
  id: string;
  owner_id: string;
  name: string;
  /** The document in its canonical form (stringifyStack). */
  yaml: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface StackInstancesTable {
  stack_id: string;
  member: string;
  /** 1..count within the member. */
  ordinal: number;
  kind: 'request' | 'appliance';
  object_id: string;
  product_id: string;
  created_at: string;
}

/** The latest result of each appliance health check (migration 012). */
export interface ApplianceChecksTable {
  appliance_id: string;
  check_name: string;
  host_id: string;
  state: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  state_type: 'SOFT' | 'HARD';
  attempt: number;
  max_check_attempts: number;
  output: string;
  /** JSON array of Perfdata. */
  perfdata: string;
  checked_at: string;
  changed_at: string;
}

export interface Database {
  resources: ResourcesTable;
  appliances: AppliancesTable;
  images: ImagesTable;
  kernels: KernelsTable;
  storages: StoragesTable;
  networks: NetworksTable;
  addresses: AddressesTable;
  addresses6: AddressesTable;
  events: EventsTable;
  event_counter: EventCounterTable;
  users: UsersTable;
  groups: GroupsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  email_verifications: EmailVerificationsTable;
  products: ProductsTable;
  cloud_requests: CloudRequestsTable;
  reservations: ReservationsTable;
  quotas: QuotasTable;
  capacity_epoch: CapacityEpochTable;
  join_tokens: JoinTokensTable;
  host_keys: HostKeysTable;
  stacks: StacksTable;
  stack_instances: StackInstancesTable;
  appliance_checks: ApplianceChecksTable;
  config_groups: ConfigGroupsTable;
}

export type ObjectTableName = 'resources' | 'appliances' | 'images' | 'kernels' | 'storages' | 'networks' | 'users' | 'groups' | 'products' | 'cloud_requests' | 'config_groups';
