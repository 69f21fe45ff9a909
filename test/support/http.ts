import { randomBytes } from "node:crypto";
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

/** Registers a new player and returns their token and player. */
export async function register(
  base: string,
  name = `p_${randomBytes(5).toString("hex")}`,
  password = "correct horse battery",
): Promise<{ token: string; player: any; username: string }> {
  const res = await request(base, "POST", "/v1/auth/register", { body: { username: name, password } });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.token, player: res.body.player, username: name.toLowerCase() };
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
