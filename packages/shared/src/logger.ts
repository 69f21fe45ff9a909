import { pino, type Logger } from "pino";

export type { Logger } from "pino";

/** Paths that may carry secrets; pino replaces their values before anything is written. */
const REDACT = [
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "initData",
  "*.initData",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
];

/** One JSON logger per process, named after its role, with secrets redacted. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: "[redacted]" }, base: { pid: process.pid } });
}
