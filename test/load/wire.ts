import { type Server, type Socket, createConnection, createServer } from "node:net";

/** What clients sent to PostgreSQL through a counter, from its start or its last `reset()`. */
export interface WireTotals {
  /** Times a client handed the server a unit of work and waited for it: one Sync, or one simple Query. */
  roundTrips: number;
  /** Statements run: one per Execute, one per simple Query. */
  statements: number;
  /** Statements parsed (a named statement is parsed once per connection, then only bound). */
  parses: number;
  /** Round trips that were the pool's liveness check (`select 1`), which a pool's own counters may leave out. */
  pings: number;
  connections: number;
}

// Untyped messages a client may open a connection with (protocol version or request codes).
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/**
 * Reads the PostgreSQL frontend protocol as it streams past, message by message: an untyped
 * start-up phase (start-up message, SSL or GSS requests, cancel requests), then messages of one
 * type byte and a 4-byte length. Only the types and the text of Query, Parse and Bind are kept.
 */
class FrontendReader {
  private typed = false;
  private header = Buffer.alloc(0);
  private body: Buffer[] = [];
  private remaining = 0;
  private type = 0;
  private keep = false;
  /** Set when the server agreed to encrypt: nothing after that can be read. */
  opaque = false;
  /** Set after an SSL or GSS request, until the server's one-byte answer. */
  awaitingAnswer = false;
  /** Statement text by prepared-statement name ("" is the unnamed statement). */
  private readonly statements = new Map<string, string>();
  private lastBound = "";

  constructor(private readonly onMessage: (type: string, text: string) => void) {}

  /** The server's first byte after an SSL or GSS request: 'S' or 'G' means the rest is encrypted. */
  serverAnswered(byte: number): void {
    this.awaitingAnswer = false;
    if (byte === 0x53 || byte === 0x47) this.opaque = true;
  }

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.opaque) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        if (this.keep) this.body.push(chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.finish();
        continue;
      }
      const headerSize = this.typed ? 5 : 8;
      const take = Math.min(headerSize - this.header.length, chunk.length - at);
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)]);
      at += take;
      if (this.header.length < headerSize) continue;
      if (this.typed) {
        this.type = this.header[0]!;
        this.remaining = this.header.readInt32BE(1) - 4;
        this.keep = this.type === 0x51 || this.type === 0x50 || this.type === 0x42;
      } else {
        // Start-up phase: length, then a code; after an SSL/GSS request the client waits for one byte.
        const code = this.header.readInt32BE(4);
        this.remaining = this.header.readInt32BE(0) - 8;
        this.keep = false;
        this.type = 0;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) this.awaitingAnswer = true;
        else if (code !== CANCEL_REQUEST) this.typed = true;
      }
      this.header = Buffer.alloc(0);
      if (this.remaining === 0) this.finish();
    }
  }

  private finish(): void {
    const body = this.keep ? Buffer.concat(this.body) : null;
    this.body = [];
    if (this.type === 0) return;
    const type = String.fromCharCode(this.type);
    let text = "";
    if (body && type === "Q") text = cString(body, 0).text;
    if (body && type === "P") {
      const name = cString(body, 0);
      text = cString(body, name.end).text;
      this.statements.set(name.text, text);
    }
    if (body && type === "B") {
      const portal = cString(body, 0);
      this.lastBound = cString(body, portal.end).text;
    }
    if (type === "S") text = this.statements.get(this.lastBound) ?? "";
    this.onMessage(type, text);
  }
}

function cString(buffer: Buffer, from: number): { text: string; end: number } {
  const zero = buffer.indexOf(0, from);
  const end = zero < 0 ? buffer.length : zero;
  return { text: buffer.toString("utf8", from, end), end: end + 1 };
}

/** A statement's first words, enough to tell one from another in a listing. */
function label(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 90);
}

/**
 * A TCP proxy in front of PostgreSQL that counts what crosses the wire from its clients: round
 * trips (one Sync or one simple Query each), statements executed and parsed, and, when asked,
 * the first words of each round trip's statement. Point a process's DATABASE_URL at `url(…)`.
 */
export class PgWireCounter {
  private totalsNow: WireTotals = { roundTrips: 0, statements: 0, parses: 0, pings: 0, connections: 0 };
  private log: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts a counter on a free port of 127.0.0.1, forwarding to `upstream`. */
  static async start(upstream: { host: string; port: number }): Promise<PgWireCounter> {
    let counter: PgWireCounter | null = null;
    const server = createServer((client) => counter!.accept(client, upstream));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("the wire counter has no port");
    counter = new PgWireCounter(server, address.port);
    return counter;
  }

  /** The same database URL, reached through this counter. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = "127.0.0.1";
    url.port = String(this.port);
    return url.toString();
  }

  private accept(client: Socket, upstream: { host: string; port: number }): void {
    const server = createConnection(upstream);
    this.sockets.add(client).add(server);
    this.totalsNow.connections++;
    const reader = new FrontendReader((type, text) => this.count(type, text));
    client.on("data", (chunk: Buffer) => reader.feed(chunk));
    server.on("data", (chunk: Buffer) => {
      if (reader.awaitingAnswer) reader.serverAnswered(chunk[0]!);
    });
    client.pipe(server);
    server.pipe(client);
    const end = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on("error", end).on("close", end);
    server.on("error", end).on("close", end);
  }

  private count(type: string, text: string): void {
    const t = this.totalsNow;
    if (type === "Q" || type === "S") {
      t.roundTrips++;
      if (/^select 1$/i.test(text.trim())) t.pings++;
      if (this.log.length < 100_000) this.log.push(label(text));
    }
    if (type === "Q" || type === "E") t.statements++;
    if (type === "P") t.parses++;
  }

  totals(): WireTotals {
    return { ...this.totalsNow };
  }

  /** The first words of each round trip's statement since the last call, in order. */
  takeLog(): string[] {
    const log = this.log;
    this.log = [];
    return log;
  }

  /** Resolves once no round trip has crossed for `quietMs` (or after `maxMs`): lets work that follows an answer finish. */
  async settle(quietMs = 100, maxMs = 3_000): Promise<void> {
    const until = Date.now() + maxMs;
    let last = this.totalsNow.roundTrips;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.totalsNow.roundTrips === last) return;
      last = this.totalsNow.roundTrips;
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
