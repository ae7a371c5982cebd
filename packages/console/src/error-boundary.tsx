import { Component, type ReactNode } from "react";

/** A page that throws shows its error instead of blanking the whole console. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: Error | null }
> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    return this.state.error ? (
      <p className="error" role="alert">
        {this.state.error.message}
      </p>
    ) : (
      this.props.children
    );
  }
}
