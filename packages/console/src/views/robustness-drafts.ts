import { sameDraft } from "../draft-store";
import type { NumberText } from "../number-field";
import type { SweepOthers } from "../robustness-api";

/**
 * The Robustness page's knobs are kept as the forms' boxes are (useDraft, under these names), so
 * that an expired session, or a visit to another page, does not cost the analyst their settings.
 * Per cycle; the sweep's per saved scenario too, as it starts around the scenario's own points.
 */
export const sweepDraft = (cycleId: string, scenarioId: string | null): string =>
  scenarioId === null ? `robustness.sweep.${cycleId}` : `robustness.sweep.${cycleId}.${scenarioId}`;
export const monteCarloDraft = (cycleId: string): string => `robustness.mc.${cycleId}`;
export const leaveOneOutDraft = (cycleId: string): string => `robustness.loo.${cycleId}`;

/** The sweep's knobs as kept: the bounds typed around `category`, and how the others give the points. */
export interface SweepKnobs {
  category: string;
  from: string;
  to: string;
  others: string;
  /** The category chosen to give the points; null: none chosen, the first of the others. */
  donor: string | null;
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
  kept: Pick<SweepKnobs, "others" | "donor">,
  donors: readonly string[],
): { others: SweepOthers; donor: string | null } {
  const donor = kept.donor !== null && donors.includes(kept.donor) ? kept.donor : (donors[0] ?? null);
  const offered = OTHERS.includes(kept.others) && (kept.others !== "TRANSFER" || donor !== null);
  return { others: offered ? (kept.others as SweepOthers) : "FIXED", donor };
}

/**
 * Whether the sweep shows the knobs the page starts it with (`start`, around the category swept
 * now): the bounds, and the others' mode as offered; the donor only under a transfer, the one
 * mode that shows it.
 */
export function sweepAtStart(kept: SweepKnobs, start: SweepKnobs, donors: readonly string[]): boolean {
  const { others, donor } = offeredSweepMode(kept, donors);
  return sameDraft({ ...kept, others, donor: others === "TRANSFER" ? donor : null }, start);
}
