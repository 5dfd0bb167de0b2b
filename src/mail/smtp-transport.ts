import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { SmtpConfig } from './smtp-config.ts';

/** One message as the sender hands it to SMTP. */
export interface OutgoingMessage {
  /** The mail's id: the Message-ID is made from it, so a resend after a crash is recognisable. */
  mailId: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Longest a single send may take (connect, greeting, each command): the sender's claim on a mail
 * must outlast it, or a second sender could start while the first is still talking.
 */
export const SMTP_TIMEOUTS_MS = { connection: 30_000, greeting: 30_000, socket: 60_000 } as const;

/** Sends over SMTP with nodemailer; one connection per message (mails are few). */
export class SmtpTransport {
  private readonly transporter: nodemailer.Transporter<SMTPTransport.SentMessageInfo>;
  private readonly domain: string;

  constructor(private readonly config: SmtpConfig) {
    this.transporter = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.auth ? { user: config.auth.user, pass: config.auth.password.reveal() } : undefined,
      tls: { rejectUnauthorized: config.rejectUnauthorized },
      connectionTimeout: SMTP_TIMEOUTS_MS.connection,
      greetingTimeout: SMTP_TIMEOUTS_MS.greeting,
      socketTimeout: SMTP_TIMEOUTS_MS.socket,
      // nodemailer's own logging would print the SMTP dialogue, AUTH included: never.
      logger: false,
      debug: false,
    });
    this.domain = /@([^\s>@]+)>?\s*$/.exec(config.from)?.[1] ?? 'fleetyard.invalid';
  }

  /** Sends one message; resolves with the Message-ID it went out with. */
  async send(m: OutgoingMessage): Promise<string> {
    const info = await this.transporter.sendMail({
      from: this.config.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      messageId: `<${m.mailId}@${this.domain}>`,
      // RFC 3834: a machine wrote this; auto-responders should not answer it.
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return info.messageId;
  }

  /** An error's text with the SMTP password cut out, whatever a server or library quoted back. */
  describeError(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    const password = this.config.auth?.password.reveal();
    return password ? text.split(password).join('[redacted]') : text;
  }

  close(): void {
    this.transporter.close();
  }
}
