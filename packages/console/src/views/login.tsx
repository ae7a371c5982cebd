import { type FormEvent, useState } from "react";
import { gql } from "../api";
import { decodeToken, type Session } from "../auth";
import { signInErrorText, useI18n } from "../i18n";

/** Paste a bearer token; the gateway is asked once so a bad or expired token fails here. */
export function Login({ onLogin, expired }: { onLogin: (s: Session) => void; expired: boolean }) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  // Kept by key or as the error itself, and worded when shown: switching language here translates
  // them too.
  const [problem, setProblem] = useState<{ key: "login.expired" | "login.bad" } | { error: Error } | null>(
    expired ? { key: "login.expired" } : null,
  );
  const shown =
    problem &&
    ("key" in problem ? { text: t(problem.key), detail: null } : signInErrorText(problem.error, t));
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const session = decodeToken(token);
    if (!session) return setProblem({ key: "login.bad" });
    setBusy(true);
    try {
      await gql("{ schemes { schemeId } }", {}, { token: session.token });
    } catch (err) {
      // Only gql's failures are caught here: onLogin's would not be the gateway's answer to the token.
      return setProblem({ error: err as Error });
    } finally {
      setBusy(false);
    }
    onLogin(session);
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
      {shown && (
        // As a view's ErrorNote: the message replaced stays as the title, for support.
        <p className="error" role="alert" title={shown.detail ?? undefined}>
          {shown.text}
        </p>
      )}
      <button type="submit" disabled={busy || !token.trim()}>
        {t("login.submit")}
      </button>
    </form>
  );
}
