import { InputError } from "../input-error.js";

/**
 * Runs a what-if analysis, its options' problems led in by what they are options of:
 * `invalid Monte-Carlo options (1 problem)`, not `invalid scenario`, for a seed or a spread.
 * They stay InputErrors of subject "scenario" (as the scenario an alternative patches is), so
 * a caller places their paths as before; only the message's first line names the analysis.
 */
export function withOptionsOf<T>(analysis: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof InputError && e.subject === "scenario")
      throw new InputError("scenario", e.issues, `${analysis} options`);
    throw e;
  }
}
