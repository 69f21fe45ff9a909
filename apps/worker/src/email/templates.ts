import type { OutboxEmail } from "@echoes/db";
import { ENEMY_TYPES, type EmailList, LOCATIONS, RESPAWN_DELAY_S, TOKEN_LIFETIME_S, WORLD, emailLink, tokenFromSeed, unsubscribeToken } from "@echoes/shared";
import { type Html, html, markup } from "./html";

/** A rendered email; notifications name the list their unsubscribe link leaves. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  unsubscribe: { list: EmailList; url: string } | null;
}

export interface RenderContext {
  key: Buffer;
  publicUrl: string;
}

const GAME = "Echoes of the Ashes";
const when = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The HTML around every email; everything in `body` was escaped by `html`. */
function page(title: string, body: Html, footer: Html | null): string {
  return markup(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="margin:0;padding:24px;background:#1b1a17;color:#e8e2d4;font-family:Georgia,serif">
<div style="max-width:560px;margin:0 auto;background:#26241f;padding:24px;border:1px solid #4a463c">
<h1 style="font-size:20px;margin:0 0 16px;color:#f0b45a">${title}</h1>
${body}
${footer ?? ""}
</div></body></html>`);
}

const button = (url: string, label: string) =>
  html`<p><a href="${url}" style="display:inline-block;padding:10px 16px;background:#f0b45a;color:#1b1a17;text-decoration:none">${label}</a></p>`;

function unsubscribeFooter(url: string, what: string): Html {
  return html`<p style="font-size:12px;color:#9c968a;margin-top:24px">You get these because you asked for ${what}. <a href="${url}" style="color:#9c968a">Unsubscribe</a> in one click.</p>`;
}

function seedOf(email: OutboxEmail): string {
  const seed = email.data.seed;
  if (typeof seed !== "string") throw new Error(`outbox row ${email.id} has no token seed`);
  return seed;
}

const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : Number(value ?? 0) || 0);
const text = (value: unknown) => (typeof value === "string" ? value : "");

/** Renders one outbox row: subject, plain text and HTML, with links carrying its token or unsubscribe token. */
export function renderEmail(email: OutboxEmail, ctx: RenderContext): RenderedEmail {
  const name = email.username;
  switch (email.kind) {
    case "verify": {
      const token = tokenFromSeed(ctx.key, seedOf(email));
      const url = emailLink(ctx.publicUrl, "verify", token);
      const hours = TOKEN_LIFETIME_S.verify / 3600;
      const subject = `Confirm your address for ${GAME}`;
      return {
        subject,
        text: `Hello ${name},\n\nConfirm that this address belongs to you: open\n${url}\n\nor send this token to POST /v1/auth/email/verify:\n${token}\n\nThe link works once, for ${hours} hours. If you did not ask for it, ignore this email.\n`,
        html: page(
          subject,
          html`<p>Hello ${name},</p><p>Confirm that this address belongs to you.</p>${button(url, "Confirm my address")}<p style="font-size:13px">The link works once, for ${hours} hours. If you did not ask for it, ignore this email.</p>`,
          null,
        ),
        unsubscribe: null,
      };
    }
    case "reset": {
      const token = tokenFromSeed(ctx.key, seedOf(email));
      const url = emailLink(ctx.publicUrl, "reset", token);
      const minutes = TOKEN_LIFETIME_S.reset / 60;
      const subject = `Reset your ${GAME} password`;
      return {
        subject,
        text: `Hello ${name},\n\nSomeone asked to reset the password of ${name}. To choose a new one, open\n${url}\n\nor send this token with the new password to POST /v1/auth/password-reset/confirm:\n${token}\n\nThe link works once, for ${minutes} minutes. If you did not ask for it, ignore this email: your password stays as it is.\n`,
        html: page(
          subject,
          html`<p>Hello ${name},</p><p>Someone asked to reset the password of <strong>${name}</strong>.</p>${button(url, "Choose a new password")}<p style="font-size:13px">The link works once, for ${minutes} minutes. If you did not ask for it, ignore this email: your password stays as it is.</p>`,
          null,
        ),
        unsubscribe: null,
      };
    }
    case "death": {
      const url = emailLink(ctx.publicUrl, "unsubscribe", unsubscribeToken(ctx.key, email.playerId, "death"));
      const enemy = ENEMY_TYPES.get(text(email.data.enemyTypeId))?.name ?? "something in the dark";
      const place = LOCATIONS.get(text(email.data.locationId))?.name ?? "the wastes";
      const start = LOCATIONS.get(WORLD.startLocationId)?.name ?? WORLD.startLocationId;
      const diedAt = text(email.data.diedAt) || new Date().toISOString();
      const revivesAt = new Date(new Date(diedAt).getTime() + RESPAWN_DELAY_S * 1000).toISOString();
      const subject = `${name} has fallen`;
      return {
        subject,
        text: `${name} was killed by ${enemy} at ${place}, ${when(diedAt)}.\n\nThey rise again at ${start} at ${when(revivesAt)}, with half their health.\n\nUnsubscribe from death notifications: ${url}\n`,
        html: page(
          subject,
          html`<p><strong>${name}</strong> was killed by ${enemy} at ${place}, ${when(diedAt)}.</p><p>They rise again at ${start} at ${when(revivesAt)}, with half their health.</p>`,
          unsubscribeFooter(url, "death notifications"),
        ),
        unsubscribe: { list: "death", url },
      };
    }
    case "summary": {
      const url = emailLink(ctx.publicUrl, "unsubscribe", unsubscribeToken(ctx.key, email.playerId, "dailySummary"));
      const day = text(email.data.day);
      const rows: [string, number][] = [
        ["Kills", number(email.data.kills)],
        ["Damage dealt", number(email.data.damageDealt)],
        ["Experience gained", number(email.data.xpGained)],
        ["Items looted", number(email.data.itemsLooted)],
      ];
      const subject = `${name}'s day in the ashes: ${day}`;
      return {
        subject,
        text: `${name}, here is your day in the ashes (the 24 hours up to the summary of ${day}):\n\n${rows.map(([label, value]) => `${label}: ${value}`).join("\n")}\n\nUnsubscribe from daily summaries: ${url}\n`,
        html: page(
          subject,
          html`<p>${name}, your day (${day}):</p><table style="border-collapse:collapse">${rows.map(
            ([label, value]) =>
              html`<tr><td style="padding:4px 16px 4px 0">${label}</td><td style="padding:4px 0;text-align:right"><strong>${value}</strong></td></tr>`,
          )}</table>`,
          unsubscribeFooter(url, "daily summaries"),
        ),
        unsubscribe: { list: "dailySummary", url },
      };
    }
  }
}
