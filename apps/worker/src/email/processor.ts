import { type Job, UnrecoverableError } from "bullmq";
import { loadOutboxEmail, markEmailFailed, markEmailSent, pruneEmail, writeDailySummaries } from "@echoes/db";
import { DAILY_SUMMARY_JOB, EMAIL_BACKOFF, PRUNE_EMAIL_JOB, emailJob, emailRetryDelayMs } from "@echoes/shared";
import type { EmailContext, WorkerContext } from "../context";
import { tickInstant } from "../processors/world";
import { describeSendFailure } from "./mailer";
import { renderEmail } from "./templates";

/**
 * BullMQ's backoff for the email queue: the wait before the next try doubles each time, from
 * the delay the job was queued with (EMAIL_RETRY_DELAY_MS). The outbox row records the same.
 */
export function emailBackoff(attemptsMade: number, type?: string, _err?: Error, job?: Pick<Job, "opts">): number {
  if (type !== EMAIL_BACKOFF) return 0;
  return emailRetryDelayMs(attemptsMade, job?.opts.backoff && typeof job.opts.backoff === "object" ? (job.opts.backoff.delay ?? 1_000) : 1_000);
}

/** The email queue: sends outbox rows, writes the daily summaries, and prunes what email leaves behind. */
export async function processEmail(job: Job, ctx: WorkerContext): Promise<unknown> {
  if (!ctx.email) throw new Error("this worker has no SMTP_URL");
  if (job.name === DAILY_SUMMARY_JOB) return summarise(job, ctx);
  if (job.name === PRUNE_EMAIL_JOB) return { rows: await pruneEmail(ctx.database, ctx.config.TICK_BATCH, ctx.config.KEEP_EMAILS_D) };
  return send(job, ctx, ctx.email);
}

/**
 * Sends one outbox row, at least once: the row is marked sent only after the SMTP server took
 * the message, so a crash in between sends it again, with the same Message-ID. A row already
 * sent, given up, or gone (its player deleted) is skipped. A permanent refusal (5xx) ends the
 * row; other failures are retried with a longer wait each time, and the last one ends it too.
 */
async function send(job: Job, ctx: WorkerContext, email: EmailContext): Promise<unknown> {
  const parsed = emailJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed email job: ${parsed.error.message}`);
  const row = await loadOutboxEmail(ctx.database, parsed.data.outboxId);
  if (!row || row.sent || row.failed) {
    if (row) email.count(row.kind, "skipped");
    return { sent: false, reason: row ? (row.sent ? "already sent" : "given up") : "gone" };
  }
  const rendered = renderEmail(row, { key: email.key, publicUrl: ctx.config.PUBLIC_URL });
  const headers: Record<string, string> = { "Auto-Submitted": "auto-generated" };
  if (rendered.unsubscribe) {
    headers["List-Unsubscribe"] = `<${rendered.unsubscribe.url}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  try {
    await email.mailer.send({
      to: row.address,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: `<${row.messageId}@${email.domain}>`,
      headers,
    });
  } catch (err) {
    const failure = describeSendFailure(err);
    const attempt = job.attemptsMade + 1;
    const final = failure.permanent || attempt >= (job.opts.attempts ?? 1);
    await markEmailFailed(ctx.database, row.id, failure.summary, emailBackoff(attempt, EMAIL_BACKOFF, undefined, job), final);
    email.count(row.kind, final ? "failed" : "retrying");
    const reason = `email ${row.id} (${row.kind}) not sent: ${failure.summary}`;
    throw failure.permanent ? new UnrecoverableError(reason) : new Error(reason);
  }
  await markEmailSent(ctx.database, row.id);
  email.count(row.kind, "sent");
  return { sent: true, kind: row.kind };
}

/**
 * Writes the summary of the 24 hours before the scheduled instant for every opted-in player
 * who played in them, then queues them. A retry writes nothing twice (one per player and day);
 * rows whose queueing failed are found by the sweeper.
 */
async function summarise(job: Job, ctx: WorkerContext): Promise<unknown> {
  const until = tickInstant(job);
  const from = new Date(until.getTime() - 86_400_000);
  const day = new Date(until.getTime() - 1).toISOString().slice(0, 10);
  const written = await writeDailySummaries(ctx.database, { from, until, day }, ctx.config.TICK_BATCH);
  let queued = 0;
  for (const outboxId of written) {
    await ctx.producer.email(outboxId).then(
      () => queued++,
      () => undefined,
    );
  }
  if (written.length > 0) ctx.logger.info({ day, written: written.length, queued }, "daily summaries written");
  return { day, written: written.length, queued };
}
