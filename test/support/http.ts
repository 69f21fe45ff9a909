import { randomBytes } from "node:crypto";
import { GameClient, type Player } from "@echoes/client";
import { checkAnswer, contractOf } from "./contract";

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body sent as is (for malformed input). */
  raw?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * One HTTP request to the game; the body is parsed as JSON when it is JSON. Every answer is
 * checked against the API's OpenAPI document (the route's schema for the status it got), and a
 * mismatch throws.
 */
export async function request<T = any>(base: string, method: string, path: string, options: CallOptions = {}): Promise<Response<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const contract = await contractOf(base);
  const res = await fetch(base + path, { method, headers, body, signal: options.signal ?? null });
  const text = await res.text();
  checkAnswer(contract, method, path, res.status, res.headers, text);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (an event stream, the docs page): leave it as text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/**
 * A fetch for the generated client that checks every answer against the API's OpenAPI document,
 * as `request` does. Event streams are checked by their content type (their body never ends).
 */
export function checkedFetch(base: string): (request: Request) => Promise<globalThis.Response> {
  return async (request) => {
    const contract = await contractOf(base);
    const res = await fetch(request);
    const url = new URL(request.url);
    const streaming = (res.headers.get("content-type") ?? "").startsWith("text/event-stream");
    checkAnswer(contract, request.method, url.pathname + url.search, res.status, res.headers, streaming ? "" : await res.clone().text());
    return res;
  };
}

/** The generated client, pointed at `base` (signed in when given a token), its answers checked. */
export function gameClient(base: string, token?: string): GameClient {
  return new GameClient({ baseUrl: base, token: token ?? null, fetch: checkedFetch(base) });
}

/** Registers a new player through the client and returns their token and player. */
export async function register(
  base: string,
  name = `p_${randomBytes(5).toString("hex")}`,
  password = "correct horse battery",
): Promise<{ token: string; player: Player; username: string }> {
  const { token, player } = await gameClient(base).register(name, password);
  return { token, player, username: name.toLowerCase() };
}

/** Waits until `check` returns a truthy value, polling every 25 ms, up to `ms`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, ms = 10_000, what = "condition"): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
