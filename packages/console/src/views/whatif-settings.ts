import type { SchemeDocument } from "../whatif-api";
import { forgetWhatIf, loadWhatIf, saveWhatIf, type WhatIfSettings } from "../whatif-store";
import { type Draft, useDraft } from "./use-draft";

/** The What-if page a Workbench draws: its cycle's, on a saved scenario or none. */
export interface WhatIfPage {
  cycleId: string;
  scenarioId: string | null;
  scheme: SchemeDocument;
  /** What the page shows on its own: the saved scenario's knobs and name, else the scheme's and none. */
  start: WhatIfSettings;
}

/**
 * The What-if page's settings, kept and restored as a form's boxes are (useDraft: the note goes
 * once the page shows its start again, by Reset or by hand, and a discard forgets them). Kept
 * where the page always kept them (whatif-store), not among the forms' drafts, which read a
 * draft by the kinds of its fields alone: these are the scheme's to bound (points not below
 * zero, 0 to 10 decimals, a known mode, a quota only where the scheme has one, and one set by
 * Reset where a saved scenario's could not be shown; a roll-up's share 0 to 1, likewise).
 */
export function useWhatIfSettings(page: WhatIfPage): Draft<WhatIfSettings> {
  const { cycleId, scenarioId, scheme, start } = page;
  return useDraft(JSON.stringify(["whatif", cycleId, scenarioId]), start, {
    keeping: {
      load: () => loadWhatIf(cycleId, scenarioId, scheme, start.knobs),
      save: (settings) => saveWhatIf(cycleId, { scenario: scenarioId, ...settings }),
      forget: () => forgetWhatIf(cycleId, scenarioId),
    },
  });
}
