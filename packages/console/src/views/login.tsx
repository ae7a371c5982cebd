import { type FormEvent, useState } from "react";
import { gql } from "../api";
import { decodeToken, type Session } from "../auth";
import { useI18n } from "../i18n";

/** Paste a bearer token; the gateway is asked once so a bad or expired token fails here. */
export function Login({ onLogin, expired }: { onLogin: (s: Session) => void; expired: boolean }) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  // The console's own messages are kept by key: switching language here translates them too.
  const [problem, setProblem] = useState<{ key: "login.expired" | "login.bad" } | { message: string } | null>(
    expired ? { key: "login.expired" } : null,
  );
  const error = problem && ("key" in problem ? t(problem.key) : problem.message);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const session = decodeToken(token);
    if (!session) return setProblem({ key: "login.bad" });
    setBusy(true);
    try {
      await gql("{ schemes { schemeId } }", {}, { token: session.token });
      onLogin(session);
    } catch (err) {
      setProblem({ message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="login card" onSubmit={submit}>
      <h1>{t("login.title")}</h1>
      <p className="muted">{t("login.help")}</p>
      <label>
        {t("login.token")}
        <textarea
          name="token"
          rows={4}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !token.trim()}>
        {t("login.submit")}
      </button>
    </form>
  );
}
