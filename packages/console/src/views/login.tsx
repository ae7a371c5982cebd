import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { gql } from "../api";
import { decodeToken, type Session } from "../auth";
import { signInErrorText, useI18n } from "../i18n";
import { useWriteFocus } from "./use-write-focus";

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
  // What the box holds is at fault: not a token, or one the gateway refused. A session that ended,
  // or a gateway out of reach, says nothing of it.
  const invalid =
    problem !== null &&
    ("key" in problem
      ? problem.key === "login.bad"
      : (problem.error as { code?: unknown }).code === "UNAUTHENTICATED");
  const [busy, setBusy] = useState(false);
  const asked = useWriteFocus(busy);
  const problemId = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  // A session that ended swapped the page for this screen: the focus is where the new token goes.
  useEffect(() => {
    if (expired) box.current?.focus();
  }, [expired]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    asked();
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

  const [helpBefore, helpAfter] = t("login.help").split("{command}");
  return (
    <form className="login card" onSubmit={submit}>
      <h1>{t("login.title")}</h1>
      <p className="muted">
        {/* The command as code, not in backticks the page would show as typed. */}
        {helpBefore}
        {helpAfter !== undefined && <code>pingyi token analyst alice</code>}
        {helpAfter}
      </p>
      <label>
        {t("login.token")}
        <textarea
          ref={box}
          name="token"
          rows={4}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={invalid || undefined}
          aria-describedby={shown ? problemId : undefined}
        />
      </label>
      {shown && (
        // As a view's ErrorNote: the message replaced stays as the title, for support.
        <p className="error" role="alert" id={problemId} title={shown.detail ?? undefined}>
          {shown.text}
        </p>
      )}
      <button type="submit" disabled={busy || !token.trim()}>
        {t("login.submit")}
      </button>
    </form>
  );
}
