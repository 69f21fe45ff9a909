import { useState } from "preact/hooks";
import type { AuthResult, GameApi } from "./api";
import { explain } from "./words";

/** Create a character or sign in. What was typed stays when the server refuses it. */
export function SignIn({ api, onSignedIn, notice }: { api: GameApi; onSignedIn: (auth: AuthResult) => void; notice: string | null }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(notice);
  const [busy, setBusy] = useState(false);

  const submit = async (mode: "sign-in" | "sign-up") => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(mode === "sign-up" ? await api.signUp(username.trim(), password) : await api.signIn(username.trim(), password));
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" aria-busy={busy}>
      <h1>Echoes of the Ashes</h1>
      <p class="tagline">The bombs fell. The ash still falls. Somewhere out there, a town called Cinderhold keeps its fires lit.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit("sign-in");
        }}
      >
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          required
          minLength={3}
          maxLength={24}
          pattern="[A-Za-z0-9_]+"
          aria-describedby="username-hint"
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <p id="username-hint" class="hint">
          3 to 24 letters, digits or _
        </p>
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          minLength={8}
          maxLength={128}
          aria-describedby="password-hint"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <p id="password-hint" class="hint">
          At least 8 characters
        </p>
        <div class="row">
          <button type="submit" class="primary">
            Sign in
          </button>
          <button
            type="button"
            onClick={(e) => {
              if (e.currentTarget.form?.reportValidity()) void submit("sign-up");
            }}
          >
            Sign up as a new survivor
          </button>
        </div>
        <p role="alert" class="error">
          {error}
        </p>
      </form>
    </main>
  );
}
