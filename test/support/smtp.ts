import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "@echoes/db/embedded";
import { eventually } from "./http";

/** One message the server accepted: who it was for and the parsed message (headers, text, HTML). */
export interface Received {
  to: string[];
  mail: ParsedMail;
  /** The raw message, as it came over the wire. */
  raw: string;
}

/**
 * A real SMTP server (smtp-server) on a free port of this machine, for tests: it accepts every
 * message (unless `refuse` says otherwise for a recipient), parses it with mailparser and keeps it.
 * It can be stopped and started again on the same port, as an outage would.
 */
export class TestSmtpServer {
  readonly received: Received[] = [];
  /** Recipients the server refuses with a permanent 550. */
  readonly refuse = new Set<string>();
  private server: SMTPServer | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer(await freePort());
    await smtp.resume();
    return smtp;
  }

  /** The SMTP_URL that reaches it. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Starts listening (again). */
  async resume(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address.toLowerCase())) {
          const err = Object.assign(new Error("5.1.1 no such mailbox"), { responseCode: 550 });
          return callback(err);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          simpleParser(raw).then(
            (mail) => {
              this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail, raw });
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
    server.on("error", () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and drops open connections: senders get "connection refused" until `resume`. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Messages sent to this address so far. */
  to(address: string): Received[] {
    return this.received.filter((r) => r.to.some((t) => t.toLowerCase() === address.toLowerCase()));
  }

  /** Waits for the `n`-th message (1-based) to this address and returns it. */
  async waitFor(address: string, n = 1, ms = 15_000): Promise<Received> {
    return eventually(async () => this.to(address)[n - 1], ms, `email ${n} to ${address}`);
  }
}

/** The token in an email's link to `path` (`…/path?token=…`), from its text part. */
export function linkToken(mail: ParsedMail, path: string): string {
  const match = new RegExp(`${path.replace(/\//g, "\\/")}\\?token=([^\\s"&<]+)`).exec(mail.text ?? "");
  if (!match) throw new Error(`no link to ${path} in: ${mail.text}`);
  return decodeURIComponent(match[1]!);
}

/** A header as it was sent (unfolded), or "" when the message has none. */
export function header(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? "";
  return line
    .slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}
