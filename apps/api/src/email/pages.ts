import { randomBytes } from "node:crypto";
import { EMAIL_LINKS } from "@echoes/shared";

/** The pages an email's links open: each shows one button or form and sends the token to its route. */
export type LandingPage = "verify" | "reset" | "unsubscribe";

interface PageText {
  title: string;
  form: string;
  /** Builds the request from the form; the token comes from the page's own address. */
  request: string;
  done: string;
}

// Static text and code only: the token is read by the script from the address bar, never written into the page.
const PAGES: Record<LandingPage, PageText> = {
  verify: {
    title: "Confirm your address",
    form: `<button type="submit">Confirm my address</button>`,
    request: `fetch(${JSON.stringify(EMAIL_LINKS.verify)}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) })`,
    done: "Your address is confirmed. You can close this page.",
  },
  reset: {
    title: "Choose a new password",
    form: `<label>New password <input name="password" type="password" minlength="8" maxlength="128" required autocomplete="new-password"></label><button type="submit">Set the password</button>`,
    request: `fetch(${JSON.stringify(EMAIL_LINKS.reset)}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, password: form.password.value }) })`,
    done: "Your password is changed, and every earlier sign-in is signed out. Sign in with the new password.",
  },
  unsubscribe: {
    title: "Unsubscribe",
    form: `<button type="submit">Unsubscribe</button>`,
    request: `fetch(${JSON.stringify(EMAIL_LINKS.unsubscribe)} + "?token=" + encodeURIComponent(token), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" })`,
    done: "You are unsubscribed. You can opt in again from the game.",
  },
};

/**
 * The HTML of a landing page and the headers it needs: a policy that lets only this page's own
 * script run and talk to this server, and no caching or referrer (the address holds a token).
 */
export function landingPage(page: LandingPage): { body: string; headers: Record<string, string> } {
  const text = PAGES[page];
  const nonce = randomBytes(16).toString("base64");
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${text.title} · Echoes of the Ashes</title>
<style>body{margin:0;padding:24px;background:#1b1a17;color:#e8e2d4;font-family:Georgia,serif}main{max-width:480px;margin:0 auto}h1{color:#f0b45a;font-size:22px}
label{display:block;margin:12px 0}input{display:block;width:100%;padding:8px;margin-top:4px}button{padding:10px 16px;background:#f0b45a;border:0;color:#1b1a17;cursor:pointer}</style></head>
<body><main><h1>${text.title}</h1><form id="form">${text.form}</form><p id="result" role="status"></p></main>
<script nonce="${nonce}">
const form = document.getElementById("form");
const result = document.getElementById("result");
const token = new URLSearchParams(location.search).get("token") || "";
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  result.textContent = "…";
  try {
    const res = await ${text.request};
    const body = await res.json().catch(() => ({}));
    if (res.ok) { form.hidden = true; result.textContent = ${JSON.stringify(text.done)}; }
    else result.textContent = (body.error && body.error.message) || "That did not work; try again.";
  } catch { result.textContent = "The game could not be reached; try again."; }
});
</script></body></html>`;
  return {
    body,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  };
}
