import { z } from 'zod';

/**
 * Health checks of an appliance, run by the agent of its host with Nagios plugins (or any
 * command that speaks the plugin protocol), and what they find. Pure: the definitions on the
 * appliance spec, the result states, the perfdata grammar of the Monitoring Plugins guidelines
 * and Nagios's soft/hard state machine. The web console imports it too, so no Node built-ins.
 */

export const CHECK_KINDS = ['tcp', 'http', 'ping', 'command'] as const;
export const checkKindSchema = z.enum(CHECK_KINDS);
export type CheckKind = z.infer<typeof checkKindSchema>;

/** Nagios's states, by plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export const CHECK_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export const checkStateSchema = z.enum(CHECK_STATES);
export type CheckState = z.infer<typeof checkStateSchema>;
export const checkStateTypeSchema = z.enum(['SOFT', 'HARD']);
export type CheckStateType = z.infer<typeof checkStateTypeSchema>;

export const DEFAULT_MAX_CHECK_ATTEMPTS = 3;
export const DEFAULT_INTERVAL_SECONDS = 60;
export const DEFAULT_RETRY_INTERVAL_SECONDS = 10;
/** A plugin that runs longer is ended and counts as UNKNOWN (the plugins' own default is 10 s). */
export const CHECK_TIMEOUT_SECONDS = 10;

const checkName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, 'lower-case letters, digits and dashes, at most 32');
const seconds = (max: number) => z.number().min(0.001).max(max);
/** A plugin threshold (`-w`/`-c`): a number or a Nagios range such as `10:`, `~:20`, `@5:10`, or ping's `rta,pl%`. */
const threshold = z.string().regex(/^[0-9@~:.,%-]{1,32}$/, 'a threshold or range: digits, ".", ":", "~", "@", ",", "%"');

/**
 * One check of an appliance. `port`, `path` and `expectStatus` say what the tcp and http kinds
 * probe, `warning`/`critical` are passed to the plugin as `-w`/`-c` (response time in seconds
 * for tcp and http; `rta,pl%` for ping). `command` is an argv whose `$HOSTADDRESS$` becomes the
 * appliance's address: only an admin may set it, since it runs on the host.
 */
export const healthCheckSchema = z
  .strictObject({
    name: checkName,
    kind: checkKindSchema,
    port: z.number().int().min(1).max(65535).optional(),
    path: z.string().regex(/^\/[A-Za-z0-9._~%/?=&+,:@-]{0,255}$/, 'an absolute URL path of letters, digits and ._~%/?=&+,:@-').optional(),
    expectStatus: z.number().int().min(100).max(599).optional(),
    warning: threshold.optional(),
    critical: threshold.optional(),
    command: z.array(z.string().min(1).max(1024)).min(1).max(32).optional(),
    intervalSeconds: seconds(86_400).optional(),
    retryIntervalSeconds: seconds(86_400).optional(),
    maxCheckAttempts: z.number().int().min(1).max(100).optional(),
  })
  .superRefine((c, ctx) => {
    const need = (field: 'port' | 'command', why: string) => {
      if (c[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    const forbid = (field: keyof typeof c) => {
      if (c[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `a ${c.kind} check has no ${field}` });
    };
    if (c.kind === 'tcp' || c.kind === 'http') {
      if (c.kind === 'tcp') need('port', 'a tcp check needs a port');
      forbid('command');
    }
    if (c.kind === 'tcp') (['path', 'expectStatus'] as const).forEach(forbid);
    if (c.kind === 'ping') (['port', 'path', 'expectStatus', 'command'] as const).forEach(forbid);
    if (c.kind === 'command') {
      need('command', 'a command check needs its argv');
      (['port', 'path', 'expectStatus', 'warning', 'critical'] as const).forEach(forbid);
    }
  });
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const healthChecksSchema = z
  .array(healthCheckSchema)
  .max(16)
  .superRefine((checks, ctx) => {
    const seen = new Set<string>();
    checks.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `check ${c.name} is defined twice` });
      seen.add(c.name);
    });
  });

/** The intervals and attempts of a check, defaults filled in. */
export function checkTiming(c: HealthCheck): { intervalMs: number; retryIntervalMs: number; maxCheckAttempts: number } {
  return {
    intervalMs: (c.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000,
    retryIntervalMs: (c.retryIntervalSeconds ?? DEFAULT_RETRY_INTERVAL_SECONDS) * 1000,
    maxCheckAttempts: c.maxCheckAttempts ?? DEFAULT_MAX_CHECK_ATTEMPTS,
  };
}

/** ping's thresholds when none are given: round trip ms, packet loss %. */
export const DEFAULT_PING_WARNING = '100,20%';
export const DEFAULT_PING_CRITICAL = '500,60%';

/** The plugin and its arguments for a check against `address` (plugin path relative to the plugin directory for built-in kinds). */
export function pluginArgv(c: HealthCheck, address: string): { plugin: string; args: string[]; builtin: boolean } {
  const limits = [...(c.warning ? ['-w', c.warning] : []), ...(c.critical ? ['-c', c.critical] : [])];
  switch (c.kind) {
    case 'tcp':
      return { plugin: 'check_tcp', builtin: true, args: ['-H', address, '-p', String(c.port), ...limits, '-t', String(CHECK_TIMEOUT_SECONDS)] };
    case 'http':
      return {
        plugin: 'check_http',
        builtin: true,
        args: ['-I', address, '-p', String(c.port ?? 80), '-u', c.path ?? '/', ...(c.expectStatus ? ['-e', String(c.expectStatus)] : []), ...limits, '-t', String(CHECK_TIMEOUT_SECONDS)],
      };
    case 'ping':
      return { plugin: 'check_ping', builtin: true, args: ['-H', address, '-w', c.warning ?? DEFAULT_PING_WARNING, '-c', c.critical ?? DEFAULT_PING_CRITICAL, '-p', '3', '-t', String(CHECK_TIMEOUT_SECONDS)] };
    case 'command': {
      const [plugin, ...args] = (c.command ?? []).map((a) => a.replaceAll('$HOSTADDRESS$', address));
      return { plugin: plugin ?? '', builtin: false, args };
    }
  }
}

/** One perfdata item: `'label'=value[UOM];[warn];[crit];[min];[max]`. */
export const perfdataSchema = z.strictObject({
  label: z.string(),
  value: z.number(),
  uom: z.string(),
  warn: z.string().nullable(),
  crit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type Perfdata = z.infer<typeof perfdataSchema>;

const PERF_ITEM = /^(?:'((?:[^']|'')+)'|([^'=\s][^=\s]*))=(-?[0-9.]+(?:[eE][+-]?[0-9]+)?|U)([a-zA-Z%]*)(?:;([^;\s]*))?(?:;([^;\s]*))?(?:;([^;\s]*))?(?:;([^;\s]*))?$/;
const UOMS = new Set(['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'GB', 'TB', 'c']);

const numberOrNull = (s: string | undefined): number | null => {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

/** Splits perfdata into items, keeping quoted labels (which may hold spaces) whole. */
function perfTokens(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Parses the perfdata part of plugin output per the Monitoring Plugins guidelines. Items that do
 * not follow the grammar (or whose value is `U`, unknown) are left out rather than guessed at.
 */
export function parsePerfdata(text: string): Perfdata[] {
  const items: Perfdata[] = [];
  for (const token of perfTokens(text)) {
    const m = PERF_ITEM.exec(token);
    if (!m) continue;
    const [, quoted, bare, rawValue, uom = '', warn, crit, min, max] = m;
    if (rawValue === 'U' || !UOMS.has(uom)) continue;
    const value = Number(rawValue);
    if (!Number.isFinite(value)) continue;
    items.push({
      label: quoted !== undefined ? quoted.replaceAll("''", "'") : (bare as string),
      value,
      uom,
      warn: warn ? warn : null,
      crit: crit ? crit : null,
      min: numberOrNull(min),
      max: numberOrNull(max),
    });
  }
  return items;
}

export interface PluginOutput {
  /** The first line of text, before any `|`. */
  summary: string;
  /** Further lines of text (long output), without their perfdata. */
  longOutput: string;
  perfdata: Perfdata[];
}

/**
 * Splits plugin output into its first line, its long output and its perfdata: the first line's
 * perfdata follows its `|`, and perfdata may go on after a `|` on a later line (Nagios 3+ form).
 */
export function parsePluginOutput(stdout: string): PluginOutput {
  const lines = stdout.replace(/\r/g, '').split('\n');
  const [first = '', ...rest] = lines;
  const bar = first.indexOf('|');
  const summary = (bar >= 0 ? first.slice(0, bar) : first).trim();
  const perfParts = bar >= 0 ? [first.slice(bar + 1)] : [];
  const longLines: string[] = [];
  let inPerf = false;
  for (const line of rest) {
    if (inPerf) {
      perfParts.push(line);
      continue;
    }
    const b = line.indexOf('|');
    if (b >= 0) {
      longLines.push(line.slice(0, b));
      perfParts.push(line.slice(b + 1));
      inPerf = true;
    } else longLines.push(line);
  }
  return { summary, longOutput: longLines.join('\n').trim(), perfdata: parsePerfdata(perfParts.join(' ')) };
}

/** The state a plugin's exit code means; anything outside 0–3 (a crash, a signal) is UNKNOWN. */
export function stateOfExit(code: number | null): CheckState {
  return code === 0 ? 'OK' : code === 1 ? 'WARNING' : code === 2 ? 'CRITICAL' : 'UNKNOWN';
}

/** Where a check stands: its state, whether that is soft or hard, and the attempt it is at. */
export interface CheckStanding {
  state: CheckState;
  type: CheckStateType;
  attempt: number;
}

/** A check that has not run yet counts as OK and hard, as Nagios starts services. */
export const INITIAL_STANDING: CheckStanding = { state: 'OK', type: 'HARD', attempt: 1 };

/**
 * Nagios's soft/hard state machine for one new result. A non-OK result after a hard OK is a soft
 * state at attempt 1; each further non-OK result (whatever its state) is the next attempt, and at
 * `maxCheckAttempts` the state is hard. A non-OK result while already hard non-OK stays hard (a
 * change between WARNING and CRITICAL is a hard state change). OK is always hard, attempt 1 (a
 * recovery from a soft state resets the attempts as Nagios does). `retry` says whether the next
 * check is at the retry interval (a soft state) or the normal one.
 */
export function nextStanding(prev: CheckStanding, result: CheckState, maxCheckAttempts: number): CheckStanding & { retry: boolean } {
  if (result === 'OK') return { state: 'OK', type: 'HARD', attempt: 1, retry: false };
  if (prev.state !== 'OK' && prev.type === 'HARD') return { state: result, type: 'HARD', attempt: maxCheckAttempts, retry: false };
  const attempt = prev.state === 'OK' ? 1 : Math.min(prev.attempt + 1, maxCheckAttempts);
  const hard = attempt >= maxCheckAttempts;
  return { state: result, type: hard ? 'HARD' : 'SOFT', attempt, retry: !hard };
}

/** What an agent reports for one check, and what the control plane keeps of the latest. */
export const checkResultSchema = z.strictObject({
  check: checkName,
  state: checkStateSchema,
  type: checkStateTypeSchema,
  attempt: z.number().int().min(1).max(100),
  maxCheckAttempts: z.number().int().min(1).max(100),
  output: z.string().max(4096),
  perfdata: z.array(perfdataSchema).max(64),
  checkedAt: z.string().max(64),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** The latest result of a check as the API shows it, with when its state last changed. */
export const checkStatusSchema = checkResultSchema.extend({
  applianceId: z.string(),
  changedAt: z.string(),
});
export type CheckStatus = z.infer<typeof checkStatusSchema>;
