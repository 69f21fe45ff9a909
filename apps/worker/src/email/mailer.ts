import { createTransport } from "nodemailer";

/** One message as the mailer sends it. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The row's Message-ID (`<uuid@domain>`), the same on every try. */
  messageId: string;
  headers: Record<string, string>;
}

/** What went wrong with a try, said without the address (SMTP replies often quote it). */
export interface SendFailure {
  /** The server refused the recipient or the message for good (a 5xx reply to RCPT TO or DATA). */
  permanent: boolean;
  summary: string;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
}

/** Reads a nodemailer error into a failure that may be logged and stored. */
export function describeSendFailure(err: unknown): SendFailure {
  const e = (err ?? {}) as SmtpError;
  const reply = typeof e.responseCode === "number" ? e.responseCode : null;
  const command = typeof e.command === "string" ? e.command.replace(/[^A-Z ]/g, "").slice(0, 20) : null;
  const code = typeof e.code === "string" && /^E[A-Z]{2,20}$/.test(e.code) ? e.code : "ESEND";
  const permanent = reply !== null && reply >= 500 && reply < 600 && (command === "RCPT TO" || command === "DATA");
  return { permanent, summary: [code, reply, command].filter((part) => part !== null).join(" ") };
}

/** Sends email over SMTP (SMTP_URL) from MAIL_FROM through a small pool of connections. */
export class Mailer {
  private readonly transport;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    connections: number,
  ) {
    this.transport = createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: connections,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  /** Resolves once the SMTP server accepted the message; rejects with nodemailer's error otherwise. */
  async send(email: OutgoingEmail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      headers: email.headers,
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** The domain of MAIL_FROM, which names the game in Message-IDs. */
export function senderDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? "localhost";
}
