import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { type AuthResult, GameApi } from "./api";
import { Game } from "./game";
import { SignIn } from "./sign-in";
import { applyTheme, joinTelegram, readLaunchParams } from "./telegram";
import { explain } from "./words";
import "./styles.css";

const TOKEN_KEY = "echoes.token";

/** Signs in (a form, or Telegram's launch data when given) and then runs the game until the session ends. */
function App({ initData }: { initData: string | null }) {
  const [token, setToken] = useState<string | null>(() => (initData ? null : localStorage.getItem(TOKEN_KEY)));
  const [notice, setNotice] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(initData !== null);

  const api = useMemo(() => {
    const client = new GameApi(token);
    client.onUnauthorized = () => {
      localStorage.removeItem(TOKEN_KEY);
      setToken(null);
      setNotice("Your session has ended. Sign in again.");
    };
    return client;
  }, [token]);

  const signedIn = (auth: AuthResult) => {
    localStorage.setItem(TOKEN_KEY, auth.token);
    setNotice(null);
    setSigningIn(false);
    setToken(auth.token);
  };

  useEffect(() => {
    if (!initData) return;
    new GameApi().signInWithTelegram(initData).then(signedIn, (err: unknown) => {
      setNotice(`Telegram sign-in failed. ${explain(err)}`);
      setSigningIn(false);
    });
  }, [initData]);

  if (signingIn) {
    return (
      <main class="loading" aria-busy="true">
        <h1>Echoes of the Ashes</h1>
        <p role="status">Signing in with Telegram…</p>
      </main>
    );
  }
  if (token) {
    return (
      <Game
        key={token}
        api={api}
        onSignOut={() => {
          localStorage.removeItem(TOKEN_KEY);
          setToken(null);
        }}
      />
    );
  }
  return <SignIn api={api} onSignedIn={signedIn} notice={notice} />;
}

const telegram = readLaunchParams();
if (telegram) {
  applyTheme(telegram.theme);
  joinTelegram();
}
// Fresh launch data from Telegram names the player and replaces whatever session this page had;
// remembered launch data (a reload) is used only when there is no session.
const initData = telegram && (telegram.fresh || localStorage.getItem(TOKEN_KEY) === null) ? telegram.initData : null;
render(<App initData={initData} />, document.getElementById("app")!);
