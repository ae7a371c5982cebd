import { keepOwned } from "./draft-store";
import { type Knobs, nominalKnobs, QUOTA_ROUNDINGS, QUOTA_TIES } from "./knobs";
import { keptRollup } from "./rollup-knobs";
import { forget, forgetAll, recall } from "./session-store";
import type { SchemeDocument } from "./whatif-api";

/**
 * An analyst's what-if settings that the URL does not carry (points, quota, rounding, roll-ups, the
 * scenario's name), kept in the tab's sessionStorage per cycle: an expired session swaps the page
 * for the sign-in screen, and the settings must survive that, as a rules draft does.
 */
export interface StoredWhatIf extends WhatIfSettings {
  /** The saved scenario the settings were started from; they come back only on its page. */
  scenario: string | null;
}

/** What the What-if page shows of its settings: the knobs, and the scenario's name in its box. */
export interface WhatIfSettings {
  knobs: Knobs;
  name: string;
}

/** Where the settings are kept, one key per cycle after it: another's, claimDrafts forgets them. */
export const WHATIF_KEYS = "pingyi.whatif.";
const MODES = new Set(["half-up", "half-even"]);

/** Kept as the drafts are, once whose they are is recorded (keepOwned). */
export function saveWhatIf(cycleId: string, stored: StoredWhatIf): void {
  keepOwned(WHATIF_KEYS + cycleId, stored);
}

/**
 * The settings kept for this cycle and scenario, read against the cycle's scheme: a category or
 * quota the scheme no longer has is dropped, and a value that is not a usable number is the one
 * the page starts from (`start`: the saved scenario's, else the scheme's own).
 */
export function loadWhatIf(
  cycleId: string,
  scenario: string | null,
  scheme: SchemeDocument,
  start: Knobs = nominalKnobs(scheme),
): WhatIfSettings | null {
  const stored = recall(WHATIF_KEYS + cycleId) as Partial<Record<keyof StoredWhatIf, unknown>> | undefined;
  if (typeof stored !== "object" || stored === null) return null;
  if ((stored.scenario ?? null) !== scenario || typeof stored.knobs !== "object" || !stored.knobs)
    return null;
  const kept = stored.knobs as Partial<Record<keyof Knobs, unknown>>;
  const points = (typeof kept.points === "object" && kept.points ? kept.points : {}) as Record<
    string,
    unknown
  >;
  const usable = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
  const knobs: Knobs = { ...start, points: { ...start.points } };
  for (const id of Object.keys(knobs.points)) {
    const v = points[id];
    if (usable(v)) knobs.points[id] = v;
  }
  // A saved scenario's quota the knob cannot show starts as null; a quota kept after Reset is shown.
  if (nominalKnobs(scheme).quota !== null && usable(kept.quota)) knobs.quota = kept.quota;
  if (usable(kept.decimals) && Number.isInteger(kept.decimals) && kept.decimals <= 10)
    knobs.decimals = kept.decimals;
  if (typeof kept.mode === "string" && MODES.has(kept.mode)) knobs.mode = kept.mode;
  // Kept only with the quota knob, and only as the engine takes them.
  if (knobs.quotaRounding !== undefined && QUOTA_ROUNDINGS.includes(kept.quotaRounding as never))
    knobs.quotaRounding = kept.quotaRounding as string;
  if (knobs.quotaTies !== undefined && QUOTA_TIES.includes(kept.quotaTies as never))
    knobs.quotaTies = kept.quotaTies as string;
  // Each of the scheme's roll-ups, as the engine takes it; one a saved scenario's patch left
  // unshown (null) is shown once kept after Reset, as the quota is.
  if (knobs.rollups) {
    const rollups =
      typeof kept.rollups === "object" && kept.rollups ? (kept.rollups as Record<string, unknown>) : {};
    knobs.rollups = Object.fromEntries(
      Object.entries(knobs.rollups).map(([id, k]) => [id, keptRollup(rollups[id]) ?? k]),
    );
  }
  return { knobs, name: typeof stored.name === "string" ? stored.name : "" };
}

/**
 * The page is back at its start (saved scenario's settings, else the scheme's): nothing of its
 * own to keep. Settings kept for another scenario of the cycle are that page's, and stay.
 */
export function forgetWhatIf(cycleId: string, scenario: string | null): void {
  const stored = recall(WHATIF_KEYS + cycleId) as { scenario?: unknown } | undefined;
  if (typeof stored === "object" && stored !== null && (stored.scenario ?? null) === scenario)
    forget(WHATIF_KEYS + cycleId);
}

/** On signing out: the next person to sign in in this tab does not inherit the settings. */
export function forgetAllWhatIf(): void {
  forgetAll(WHATIF_KEYS);
}
