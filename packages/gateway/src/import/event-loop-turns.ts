/**
 * Gives the event loop a turn every `everyMs` of an import's work. On PGlite a query runs
 * synchronously inside WASM and its promise resolves as a microtask, and an uploaded file is
 * already in memory: an import is then one long chain of microtasks, and without a turn no
 * timer, socket or signal is served until it ends (a 599,000-form file held `/health`, the
 * console's pages and SIGTERM for 20 s). Other requests' queries still wait for the import's
 * transaction (the store's queue), so a turn lets them be answered or queued, never interleaved.
 * Every 50 ms: 200,000 forms take as long as without turns (within noise), and the longest stall
 * left is one batch's INSERT (~0.1–0.2 s for 5,000 rows), which a shorter budget would not shorten.
 */
export class EventLoopTurns {
  private since = performance.now();
  constructor(private readonly everyMs = 50) {}

  /** Whether the work since the last turn has been long enough to give one (cheap, per row). */
  due(): boolean {
    return performance.now() - this.since >= this.everyMs;
  }

  /** Lets timers and I/O callbacks run (setImmediate: after the poll phase), then goes on. */
  async give(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }

  /** A turn if one is due: between the steps of an import that each take a while. */
  async maybe(): Promise<void> {
    if (this.due()) await this.give();
  }
}
