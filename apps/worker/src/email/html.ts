import { escape as escapeHtml } from "html-escaper";

const MARKUP = Symbol("markup");

/** HTML that is safe to put in a page as it is: built by `html`, so every value in it was escaped. */
export interface Html {
  readonly [MARKUP]: string;
}

function piece(value: unknown): string {
  if (Array.isArray(value)) return value.map(piece).join("");
  if (typeof value === "object" && value !== null && MARKUP in value) return (value as Html)[MARKUP];
  return escapeHtml(String(value));
}

/**
 * A template tag for HTML: interpolated values are escaped, except markup that `html` built.
 *
 * @example
 * html`<p>Hello ${username}</p>` // a username of "<b>" comes out as "&lt;b&gt;"
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += piece(value) + (strings[i + 1] ?? "");
  });
  return { [MARKUP]: out };
}

/** The markup as text, to send. */
export function markup(value: Html): string {
  return value[MARKUP];
}
