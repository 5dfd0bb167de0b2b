import { hostname } from 'node:os';
import { inspect } from 'node:util';

/**
 * Where mail goes, from the environment:
 *
 *   FLEETYARD_SMTP_URL       smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465
 *   FLEETYARD_SMTP_HOST      …or the parts: host,
 *   FLEETYARD_SMTP_PORT      port (587; 465 when secure),
 *   FLEETYARD_SMTP_SECURE    TLS from the first byte (true/false; true on port 465)
 *   FLEETYARD_SMTP_USER      login; also completes a URL without credentials, so the password
 *   FLEETYARD_SMTP_PASSWORD  can stay out of the URL
 *   FLEETYARD_SMTP_FROM      sender address (default fleetyard@<this host's name>)
 *   FLEETYARD_SMTP_REJECT_UNAUTHORIZED  false accepts a server certificate that does not verify
 *
 * Neither URL nor host set means no SMTP: mails are recorded and stay pending. A set but invalid
 * value is a startup error that names the variable and never quotes a password.
 */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (smtps); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  auth: { user: string; password: Secret } | undefined;
  from: string;
  rejectUnauthorized: boolean;
}

/** A value that shows as [redacted] however it is printed, logged or serialised. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;

function bool(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (TRUE.test(value)) return true;
  if (FALSE.test(value)) return false;
  throw new Error(`${name} must be true or false, got "${value.slice(0, 20)}"`);
}

function port(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${value.slice(0, 20)}"`);
  return n;
}

interface Endpoint {
  host: string;
  port: number;
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
}

function fromUrl(raw: string): Endpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The URL may hold a password: the message must not quote it.
    throw new Error('FLEETYARD_SMTP_URL is not a valid URL; expected smtp://user:password@host:port or smtps://…');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`FLEETYARD_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol.slice(0, 20)}//`);
  }
  if (!url.hostname) throw new Error('FLEETYARD_SMTP_URL names no host');
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? port('the port of FLEETYARD_SMTP_URL', url.port) : secure ? 465 : 587,
    secure,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

function fromParts(env: NodeJS.ProcessEnv, host: string): Endpoint {
  const explicitPort = env.FLEETYARD_SMTP_PORT ? port('FLEETYARD_SMTP_PORT', env.FLEETYARD_SMTP_PORT) : undefined;
  const secure = bool('FLEETYARD_SMTP_SECURE', env.FLEETYARD_SMTP_SECURE) ?? explicitPort === 465;
  return { host, port: explicitPort ?? (secure ? 465 : 587), secure, user: undefined, password: undefined };
}

/** The SMTP configuration in `env`, or undefined when none is set. */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpConfig | undefined {
  const url = env.FLEETYARD_SMTP_URL || undefined;
  const host = env.FLEETYARD_SMTP_HOST || undefined;
  if (!url && !host) return undefined;
  if (url && (host || env.FLEETYARD_SMTP_PORT || env.FLEETYARD_SMTP_SECURE)) {
    throw new Error('set either FLEETYARD_SMTP_URL or FLEETYARD_SMTP_HOST/_PORT/_SECURE, not both');
  }
  const endpoint = url ? fromUrl(url) : fromParts(env, host as string);
  if (endpoint.user && env.FLEETYARD_SMTP_USER && endpoint.user !== env.FLEETYARD_SMTP_USER) {
    throw new Error('FLEETYARD_SMTP_URL and FLEETYARD_SMTP_USER name different users');
  }
  const user = endpoint.user ?? (env.FLEETYARD_SMTP_USER || undefined);
  const password = endpoint.password ?? (env.FLEETYARD_SMTP_PASSWORD || undefined);
  if (password !== undefined && user === undefined) throw new Error('an SMTP password is set but no user: set FLEETYARD_SMTP_USER');
  return {
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.secure,
    auth: user !== undefined ? { user, password: new Secret(password ?? '') } : undefined,
    from: env.FLEETYARD_SMTP_FROM || `fleetyard@${hostname()}`,
    rejectUnauthorized: bool('FLEETYARD_SMTP_REJECT_UNAUTHORIZED', env.FLEETYARD_SMTP_REJECT_UNAUTHORIZED) ?? true,
  };
}

/** The server as a log line may show it: scheme, user, host and port; never the password. */
export function describeSmtp(c: SmtpConfig): string {
  const user = c.auth ? `${encodeURIComponent(c.auth.user)}@` : '';
  const host = c.host.includes(':') ? `[${c.host}]` : c.host;
  return `${c.secure ? 'smtps' : 'smtp'}://${user}${host}:${c.port}`;
}
