import { Component, type ComponentType, lazy, type ReactNode } from "react";
import { ApiError } from "./api";
import { errorText, useI18n } from "./i18n";

/**
 * A page's code that could not be fetched. The gateway serves it, so this is the gateway out of
 * reach, as for any request that gets no reply (code NETWORK), not a page that crashed.
 */
export class PageLoadError extends ApiError {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), "NETWORK");
  }
}

/**
 * `lazy` for a page, failing with a PageLoadError. React keeps a failed lazy component's error for
 * good: trying again takes a new one.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(() =>
    load().then(
      (page) => ({ default: page }),
      (e: unknown) => {
        throw new PageLoadError(e);
      },
    ),
  );
}

/** A page that throws shows its error instead of blanking the whole console. */
export class ErrorBoundary extends Component<
  {
    children: ReactNode;
    resetKey: string;
    /** Makes the pages' code loadable again (new lazy components) after a PageLoadError. */
    onRetry?: () => void;
  },
  // Boxed: whatever was thrown, a `throw null` included, still counts as a crash.
  { error: { thrown: unknown } | null }
> {
  override state = { error: null as { thrown: unknown } | null };
  static getDerivedStateFromError(thrown: unknown) {
    return { error: { thrown } };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) {
      // Another page is opened: the one whose code did not arrive is fetched again when it is back.
      if (this.state.error.thrown instanceof PageLoadError) this.props.onRetry?.();
      this.setState({ error: null });
    }
  }
  /**
   * Browsers differ on a module that failed to load: some keep it failed for the document's life
   * (a new import() of it fails at once, with no request; Chromium did for years), newer ones
   * fetch it again. Only a fresh document fetches it again in all of them, so once the gateway
   * answers, the console reloads (the session and the page's link survive it); while it does not,
   * the import is tried again and the page says so again.
   */
  private retry = () => {
    const again = () => {
      this.props.onRetry?.();
      this.setState({ error: null });
    };
    fetch(location.href, { method: "HEAD", cache: "no-store" }).then(() => location.reload(), again);
  };
  override render() {
    const error = this.state.error;
    if (!error) return this.props.children;
    return error.thrown instanceof PageLoadError ? (
      <Unreachable error={error.thrown} onRetry={this.retry} />
    ) : (
      <Crashed thrown={error.thrown} />
    );
  }
}

/** Worded as every view words a request that got no reply; the browser's message is the title. */
function Unreachable({ error, onRetry }: { error: PageLoadError; onRetry: () => void }) {
  const { t } = useI18n();
  const { text, detail } = errorText(error, t);
  // No retryAdvice: it says "now" for every PageLoadError (NETWORK); a failed import has no status to read.
  return (
    <div className="error" role="alert" data-testid="page-unreachable" title={detail ?? undefined}>
      <p>
        {t("error")}: {text}
      </p>
      <button type="button" onClick={onRetry}>
        {t("crash.retry")}
      </button>
    </div>
  );
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
