import { StoreError } from "../store/errors.js";

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
  constructor(
    private readonly everyMs = 50,
    /** Aborted: the next turn throws ImportCutOffError, so the import's transaction rolls back. */
    private readonly signal?: AbortSignal,
  ) {}

  /** Whether the work since the last turn has been long enough to give one (cheap, per row). */
  due(): boolean {
    return performance.now() - this.since >= this.everyMs;
  }

  /** Lets timers and I/O callbacks run (setImmediate: after the poll phase), then goes on. */
  async give(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.signal?.aborted) throw new ImportCutOffError();
    this.since = performance.now();
  }

  /** A turn if one is due: between the steps of an import that each take a while. */
  async maybe(): Promise<void> {
    if (this.due()) await this.give();
  }
}

/**
 * The request that carried an import closed before it was answered: the client went away, or
 * the gateway closed it at shutdown (operators.md: "cut off and written as nothing"). Thrown
 * inside the import's transaction, which then rolls back whole.
 */
export class ImportCutOffError extends StoreError {
  override readonly code = "IMPORT_CUT_OFF";
  constructor() {
    super(
      "the import was cut off before it finished (its request was closed), and nothing of it was written",
    );
  }
}
