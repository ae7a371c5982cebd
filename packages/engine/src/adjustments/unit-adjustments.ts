import type { Dataset } from "../dataset/dataset.js";
import { parseDecimal } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { bonusesByUnit, type UnitBonuses } from "./bonuses.js";
import { deductionsByUnit, type UnitDeductions } from "./deductions.js";
import { type UnitVetoes, vetoesByUnit } from "./vetoes.js";

/** Everything the year's findings, bonus events and veto events do to each unit, by unit id. */
export interface UnitAdjustments {
  readonly deductions: Map<string, UnitDeductions>;
  readonly bonuses: Map<string, UnitBonuses>;
  readonly vetoes: Map<string, UnitVetoes>;
}

/** Reads the adjustment records once under the scheme's tables (what `compose` adds and takes away). */
export function adjustmentsByUnit(scheme: Scheme, dataset: Dataset): UnitAdjustments {
  return {
    deductions: deductionsByUnit(scheme.findingTypes, dataset.findings ?? []),
    bonuses: bonusesByUnit(scheme.bonusTypes, parseDecimal(scheme.bonusCap), dataset.bonusEvents ?? []),
    vetoes: vetoesByUnit(scheme.vetoTypes, dataset.vetoEvents ?? []),
  };
}
