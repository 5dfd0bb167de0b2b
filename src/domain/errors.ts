/**
 * The one registry of Fleetyard error codes. Every error that reaches a user carries a stable
 * `code` from this table; `docs/errors.md` documents each one and a test keeps the two in step.
 * Never branch on message text: branch on `code`.
 */
export const ERROR_CODES = {
  FY_VALIDATION: { status: 400, message: 'The request is not valid' },
  FY_BAD_JSON: { status: 400, message: 'The request body is not valid JSON' },
  FY_BAD_ID: { status: 400, message: 'The identifier is not a valid Fleetyard ID' },
  FY_BAD_CURSOR: { status: 400, message: 'The pagination cursor is not valid' },
  FY_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body has a media type this route does not take' },
  FY_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  FY_UPLOAD_TOO_LARGE: { status: 413, message: 'The upload is larger than the configured maximum' },
  FY_UNAUTHENTICATED: { status: 401, message: 'Authentication is required: send a bearer token or log in' },
  FY_LOGIN_FAILED: { status: 401, message: 'Wrong user name or password' },
  FY_FORBIDDEN: { status: 403, message: 'Your role does not allow this' },
  FY_CSRF: { status: 403, message: 'The x-csrf-token header is missing or does not match the session' },
  FY_NOT_FOUND: { status: 404, message: 'The object does not exist' },
  FY_ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  FY_PUPPET_NODE_UNKNOWN: { status: 404, message: 'No appliance has this certname' },
  FY_METHOD_NOT_ALLOWED: { status: 405, message: 'The method is not allowed on this route' },
  FY_NAME_TAKEN: { status: 409, message: 'The name is already in use' },
  FY_VERSION_CONFLICT: { status: 409, message: 'The object was changed by someone else; re-read it and retry' },
  FY_IMAGE_IN_USE: { status: 409, message: 'The image or kernel is used by an appliance or a product' },
  FY_RESOURCE_IN_USE: { status: 409, message: 'An appliance runs on the resource' },
  FY_HOST_SHUTDOWN_DISABLED: { status: 409, message: "The host's agent has no shutdown command: it does not power its machine off" },
  FY_NETWORK_IN_USE: { status: 409, message: 'The network is used by an appliance, holds addresses, or comes from the configuration' },
  FY_STORAGE_IN_USE: { status: 409, message: 'The storage holds images' },
  FY_CONFIG_GROUP_IN_USE: { status: 409, message: 'A product or an appliance carries the configuration group' },
  FY_PUPPET_NODE_AMBIGUOUS: { status: 409, message: 'Several appliances have this certname' },
  FY_APPLIANCE_DELETING: { status: 409, message: 'The appliance is being deleted' },
  FY_NO_CAPACITY: { status: 409, message: 'No resource can fit the appliance' },
  FY_HA_ADMISSION: { status: 409, message: 'Admitting this HA appliance would leave the fleet unable to survive the failure of one host (N+1)' },
  FY_QUOTA_EXCEEDED: { status: 409, message: 'The request does not fit your quota' },
  FY_NOT_OFFERED: { status: 422, message: 'The product does not offer this' },
  FY_STACK_INVALID: { status: 400, message: 'The stack document is not valid' },
  FY_REQUEST_STATE: { status: 409, message: 'The request is in a state that does not allow this' },
  FY_IMAGE_STATE: { status: 409, message: 'The image is in a state that does not allow this' },
  FY_KERNEL_STATE: { status: 409, message: 'The kernel is in a state that does not allow this' },
  FY_IMAGE_SOURCE: { status: 422, message: 'The image source cannot be imported' },
  FY_IMPORT_PATH: { status: 422, message: 'The server path is not a file or directory inside an import directory' },
  FY_KERNEL_FORMAT: { status: 422, message: 'The file is not what it claims to be (a bzImage kernel or an initrd)' },
  FY_KERNEL_NOT_IN_STORE: { status: 422, message: 'The kernel file is not in the kernel store' },
  FY_DRIVER_UNAVAILABLE: { status: 422, message: 'No host offers the requested virtualization type' },
  FY_AGENT_UNREACHABLE: { status: 503, message: 'The agent of the host did not answer' },
  FY_LEASE_LAPSED: { status: 409, message: 'The host cannot renew its lease and starts nothing' },
  FY_FENCING_EPOCH_STALE: { status: 409, message: 'The command was sent at another fencing epoch than the host runs at' },
  FY_HOST_NOT_FAILED: { status: 409, message: 'The host holds its lease: it is not failed' },
  FY_DRIVER_FAILED: { status: 502, message: 'The driver failed to carry out the operation' },
  FY_DNS_UPDATE_FAILED: { status: 502, message: "The network's DNS server did not take the update of an appliance's records" },
  FY_BUS_MESSAGE_TOO_LARGE: { status: 502, message: 'A message between the control plane and a host would exceed the bus limit' },
  FY_JOIN_TOKEN_INVALID: { status: 403, message: 'The join token is unknown, expired, revoked or already used' },
  FY_HOST_NOT_ENROLLED: { status: 403, message: 'The agent is not enrolled: enrol it with a join token' },
  FY_HOST_ALREADY_ENROLLED: { status: 409, message: 'This machine is already enrolled as a host; re-enrol it with a join token made for that host' },
  FY_MESSAGE_REFUSED: { status: 403, message: 'A bus message failed its signature, freshness or addressing check' },
  FY_MAIL_NOT_RETRYABLE: { status: 409, message: 'Only a failed mail, or a pending one not being sent right now, can be retried' },
  FY_MAIL_TEMPLATE: { status: 500, message: 'A mail template is missing, malformed, or uses a variable that was not given' },
  FY_RATE_LIMITED: { status: 429, message: 'Too many requests' },
  FY_VERIFICATION_FAILED: { status: 400, message: 'The verification code is wrong, expired or used up' },
  FY_WRONG_PASSWORD: { status: 403, message: 'The current password is wrong' },
  FY_STORE_UNAVAILABLE: { status: 503, message: 'The database cannot be reached right now; retry shortly' },
  FY_EVENT_INVALID: { status: 500, message: 'An event did not match its registered type; nothing was changed' },
  FY_INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error a user can act on. `details` is safe to show; it never holds secrets. */
export class FleetyardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'FleetyardError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}

export const isFleetyardError = (e: unknown): e is FleetyardError => e instanceof FleetyardError;

export function notFound(kind: string, id: string): FleetyardError {
  return new FleetyardError('FY_NOT_FOUND', `${kind} ${id} does not exist`, { kind, id });
}
