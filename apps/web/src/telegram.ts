// The Telegram Web App side of the page, without telegram-web-app.js (nothing is loaded from
// another origin): launch parameters come from the URL fragment, as Telegram documents them, and
// the few messages the page sends or hears go through the bridges Telegram's clients provide.

/** What Telegram passes in the fragment when it opens the game. */
export interface LaunchParams {
  /** The signed `initData` query string, for POST /v1/auth/telegram. */
  initData: string;
  theme: Theme;
  /** True when they came with this page load, false when remembered from an earlier load in this tab. */
  fresh: boolean;
}

/** Telegram's theme parameters that the page uses, each a #rrggbb colour. */
export type Theme = Partial<Record<(typeof THEME_KEYS)[number], string>>;

const THEME_KEYS = [
  "bg_color",
  "secondary_bg_color",
  "section_bg_color",
  "text_color",
  "hint_color",
  "link_color",
  "button_color",
  "button_text_color",
  "destructive_text_color",
] as const;

/** The page's colour variables that each theme parameter sets. */
const THEME_VARIABLES: Record<(typeof THEME_KEYS)[number], string> = {
  bg_color: "--bg",
  secondary_bg_color: "--panel",
  section_bg_color: "--panel",
  text_color: "--text",
  hint_color: "--muted",
  link_color: "--link",
  button_color: "--accent",
  button_text_color: "--accent-text",
  destructive_text_color: "--danger",
};

const COLOUR = /^#[0-9a-fA-F]{6}$/;
const STORED = "echoes.telegram";

/** Keeps only well-formed colours of the known keys: the fragment is anyone's to write. */
export function parseTheme(value: unknown): Theme {
  const theme: Theme = {};
  if (!value || typeof value !== "object") return theme;
  for (const key of THEME_KEYS) {
    const colour = (value as Record<string, unknown>)[key];
    if (typeof colour === "string" && COLOUR.test(colour)) theme[key] = colour;
  }
  return theme;
}

/**
 * The launch parameters of this page load: from the fragment (`#tgWebAppData=…`), else from this
 * tab's earlier load (Telegram does not repeat them when the page reloads). Null outside Telegram.
 * The fragment is then cleared from the address bar, so signed data does not linger in history.
 */
export function readLaunchParams(): LaunchParams | null {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const initData = fragment.get("tgWebAppData");
  if (initData) {
    let theme: Theme = {};
    try {
      theme = parseTheme(JSON.parse(fragment.get("tgWebAppThemeParams") ?? "{}"));
    } catch {
      // A theme that is not JSON is no theme; the page keeps its own colours.
    }
    sessionStorage.setItem(STORED, JSON.stringify({ initData, theme }));
    history.replaceState(null, "", location.pathname + location.search);
    return { initData, theme, fresh: true };
  }
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORED) ?? "null") as { initData?: unknown; theme?: unknown } | null;
    if (stored && typeof stored.initData === "string") return { initData: stored.initData, theme: parseTheme(stored.theme), fresh: false };
  } catch {
    sessionStorage.removeItem(STORED);
  }
  return null;
}

/** Paints the page in Telegram's colours (CSS variables; the stylesheet does the rest). */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  for (const key of THEME_KEYS) {
    const colour = theme[key];
    if (colour) root.style.setProperty(THEME_VARIABLES[key], colour);
  }
  if (theme.bg_color) root.style.setProperty("color-scheme", luminance(theme.bg_color) > 0.5 ? "light" : "dark");
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

interface TelegramWindow {
  TelegramWebviewProxy?: { postEvent(eventType: string, eventData: string): void };
  external?: { notify?(message: string): void };
  Telegram?: { WebView?: { receiveEvent?: Receive } };
  TelegramGameProxy?: { receiveEvent?: Receive };
  TelegramGameProxy_receiveEvent?: Receive;
}
type Receive = (eventType: string, eventData: unknown) => void;

/** Sends a Mini App method to the Telegram client: a native bridge on phones and desktop, a message to the parent frame on the web. */
function postEvent(eventType: string, eventData: unknown = {}): void {
  const w = window as unknown as TelegramWindow;
  if (w.TelegramWebviewProxy) w.TelegramWebviewProxy.postEvent(eventType, JSON.stringify(eventData));
  else if (typeof w.external?.notify === "function") w.external.notify(JSON.stringify({ eventType, eventData }));
  else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType, eventData }), "https://web.telegram.org");
}

/**
 * Tells Telegram the page is ready and wants the full height, and follows its theme and
 * viewport: `--tg-viewport-height` tracks the visible height, which Telegram changes as the
 * sheet is dragged.
 */
export function joinTelegram(): void {
  const receive: Receive = (eventType, eventData) => {
    const data = eventData && typeof eventData === "object" ? (eventData as Record<string, unknown>) : {};
    if (eventType === "theme_changed") applyTheme(parseTheme(data.theme_params));
    if (eventType === "viewport_changed" && typeof data.height === "number" && data.height > 0) {
      document.documentElement.style.setProperty("--tg-viewport-height", `${Math.round(data.height)}px`);
    }
  };
  const w = window as unknown as TelegramWindow;
  w.Telegram = { ...w.Telegram, WebView: { ...w.Telegram?.WebView, receiveEvent: receive } };
  w.TelegramGameProxy = { ...w.TelegramGameProxy, receiveEvent: receive };
  w.TelegramGameProxy_receiveEvent = receive;
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || typeof event.data !== "string") return;
    try {
      const message = JSON.parse(event.data) as { eventType?: unknown; eventData?: unknown };
      if (typeof message.eventType === "string") receive(message.eventType, message.eventData);
    } catch {
      // Not a Telegram message.
    }
  });
  postEvent("web_app_ready");
  postEvent("web_app_expand");
  postEvent("web_app_request_theme");
  postEvent("web_app_request_viewport");
}
