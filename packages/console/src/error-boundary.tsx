import { Component, type ReactNode } from "react";
import { useI18n } from "./i18n";

/** A page that throws shows its error instead of blanking the whole console. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey: string },
  // Boxed: whatever was thrown, a `throw null` included, still counts as a crash.
  { error: { thrown: unknown } | null }
> {
  override state = { error: null as { thrown: unknown } | null };
  static getDerivedStateFromError(thrown: unknown) {
    return { error: { thrown } };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    return this.state.error ? <Crashed thrown={this.state.error.thrown} /> : this.props.children;
  }
}

/**
 * A function component, so it reads the language as every view does and follows a switch. The
 * thrown error's text is a developer's English (a minified "Cannot read properties of null"): it
 * is kept folded away for support, under the console's own words.
 */
function Crashed({ thrown }: { thrown: unknown }) {
  const { t } = useI18n();
  return (
    <div className="error" role="alert" data-testid="crashed">
      <p>
        <strong>{t("crash.title")}</strong> {t("crash.hint")}
      </p>
      <button type="button" onClick={() => location.reload()}>
        {t("crash.reload")}
      </button>
      <details>
        <summary>{t("crash.details")}</summary>
        <pre style={{ whiteSpace: "pre-wrap" }}>{String(thrown)}</pre>
      </details>
    </div>
  );
}
