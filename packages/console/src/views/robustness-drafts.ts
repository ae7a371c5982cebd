import type { NumberText } from "../number-field";
import type { SweepBound, SweepOthers } from "../robustness-api";

/**
 * The Robustness page's knobs are kept as the forms' boxes are (useDraft, under these names), so
 * that an expired session, or a visit to another page, does not cost the analyst their settings.
 * Per cycle; the sweep's per saved scenario too, as it starts around the scenario's own points:
 * under this name, how the others give the points.
 */
export const sweepDraft = (cycleId: string, scenarioId: string | null): string =>
  scenarioId === null ? `robustness.sweep.${cycleId}` : `robustness.sweep.${cycleId}.${scenarioId}`;
/**
 * The sweep's bounds, per category besides: a category opened by a link, or chosen to look at,
 * does not cost the bounds typed for another. Named in JSON, as an id may hold a dot.
 */
export const sweepBoundsDraft = (cycleId: string, scenarioId: string | null, category: string): string =>
  `robustness.sweep-bounds.${JSON.stringify([cycleId, scenarioId, category])}`;
/**
 * The category swept last on a cycle, whichever scenario it was under: the page opens on it when
 * its link names none, as the menu's does, and another scenario picked sweeps it too.
 */
export const sweptCategoryDraft = (cycleId: string): string => `robustness.sweep-category.${cycleId}`;
export const monteCarloDraft = (cycleId: string): string => `robustness.mc.${cycleId}`;
export const leaveOneOutDraft = (cycleId: string): string => `robustness.loo.${cycleId}`;

/** How the others give the points in the sweep, as kept. */
export interface SweepKnobs {
  others: string;
  /** The category chosen to give the points; null: none chosen, the first of the others. */
  donor: string | null;
}

export const SWEEP_START: SweepKnobs = { others: "FIXED", donor: null };

/** The sweep's bounds, as typed around one category's points. */
export type SweepBounds = Record<SweepBound, string>;

/**
 * The category the sweep is of: the one the link names, else the one swept last (`kept`), else
 * the scheme's last. One the scheme does not have (another cycle's, kept in the link across a
 * switch) is passed over.
 */
export function sweptCategory(named: string | null, kept: string, categories: readonly string[]): string {
  if (named !== null && categories.includes(named)) return named;
  return categories.includes(kept) ? kept : categories.at(-1)!;
}

/** The Monte-Carlo boxes as the page starts them. */
export const MC_START: Record<"samples" | "seed" | "concentration", NumberText> = {
  samples: "1000",
  seed: "2019",
  concentration: "100",
};

export const LOO_START = { rescale: false };

const OTHERS: readonly string[] = ["FIXED", "RESCALE", "TRANSFER"] satisfies SweepOthers[];

/**
 * How the others give the points, as kept, among what the sweep offers now (`donors`: every
 * category but the one swept). The donor chosen stays while it can (a category swept itself
 * cannot give): else the first of the others. A transfer with no category to give the points, or
 * a mode this console does not know, leaves the others fixed.
 */
export function offeredSweepMode(
  kept: SweepKnobs,
  donors: readonly string[],
): { others: SweepOthers; donor: string | null } {
  const donor = kept.donor !== null && donors.includes(kept.donor) ? kept.donor : (donors[0] ?? null);
  const offered = OTHERS.includes(kept.others) && (kept.others !== "TRANSFER" || donor !== null);
  return { others: offered ? (kept.others as SweepOthers) : "FIXED", donor };
}

/**
 * Whether the sweep shows how the others give the points as the page starts it: fixed, as offered
 * (`donors`: every category but the one swept). A donor kept from a transfer since left, or a mode
 * the sweep no longer offers, shows nothing of its own (useDraft's `atStart`). The bounds are
 * judged apart, per category, as they are kept.
 */
export function sweepModeAtStart(knobs: SweepKnobs, donors: readonly string[]): boolean {
  return offeredSweepMode(knobs, donors).others === "FIXED";
}
