import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/**
 * A real SMTP server on loopback for the mail tests (the `smtp-server` package): it requires a
 * login, parses every message it accepts with postal-mime, and can be told to refuse. It can be
 * stopped and started again on the same port, to play a server that is down for a while.
 */
export const SMTP_USER = 'fleetyard-test';
/** Chosen to be easy to spot in a log line, should one ever quote it. */
export const SMTP_PASSWORD = 'pw-Zq81!never-log-me';

export interface ReceivedMail {
  to: string[];
  from: string | undefined;
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

/** An SMTP refusal: a reply code (4xx transient, 5xx permanent) and its text. */
export interface Refusal {
  code: number;
  message: string;
}

export interface TestSmtpServer {
  /** Fixed by the first start; later starts reuse it. */
  port: number;
  /** Accepted messages, in order. */
  readonly received: ReceivedMail[];
  /** DATA commands seen, accepted or refused. */
  dataAttempts: number;
  /** Consulted on each DATA (1-based count); a Refusal refuses the message. */
  refuseData: (attempt: number) => Refusal | undefined;
  /** Recipients refused at RCPT TO with 550. */
  readonly refusedRecipients: Set<string>;
  /** Starts it again on the same port after `stop`. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const refusal = (r: Refusal): Error => Object.assign(new Error(r.message), { responseCode: r.code });

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  let server: SMTPServer | undefined;
  const state: TestSmtpServer = {
    port: 0,
    received: [],
    dataAttempts: 0,
    refuseData: () => undefined,
    refusedRecipients: new Set(),
    start: () => start(),
    stop: () => stop(),
  };
  const options: SMTPServerOptions = {
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (state.refusedRecipients.has(address.address)) callback(refusal({ code: 550, message: `5.1.1 <${address.address}>: no such user` }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.dataAttempts += 1;
        const refused = state.refuseData(state.dataAttempts);
        if (refused) return callback(refusal(refused));
        PostalMime.parse(Buffer.concat(chunks)).then(
          (email) => {
            state.received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: email.from?.address,
              subject: email.subject ?? '',
              text: email.text ?? '',
              messageId: email.messageId ?? '',
              headers: Object.fromEntries(email.headers.map((h) => [h.key, h.value])),
            });
            callback();
          },
          (e: unknown) => callback(e as Error),
        );
      });
    },
  };

  const start = async (): Promise<void> => {
    const s = new SMTPServer(options);
    s.on('error', () => undefined); // a client's broken connection is the client's test to report
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(state.port, '127.0.0.1', () => resolve());
    });
    state.port = (s.server.address() as AddressInfo).port;
    server = s;
  };
  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await start();
  return state;
}
