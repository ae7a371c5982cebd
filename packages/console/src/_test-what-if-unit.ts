// Fixtures for tests of views and charts of a what-if's rows. Not part of the console.
import type { Standing, WhatIfUnit } from "./whatif-api";

/** A unit's standing on one side: ranked `rank` in `group`, eligible for everything, no grade. */
export const standing = (group: string, rank: number): Standing => ({
  group,
  total: "80",
  rank,
  rankedInGroup: 2,
  grade: null,
  eligibleForExcellence: true,
  eligibleForAward: true,
});

/** A what-if row of `unitId` (also its name) from `baseline` to `scenario`, its total unchanged. */
export const whatIfUnit = (
  unitId: string,
  baseline: Standing,
  scenario: Standing,
  rankDelta: number | null,
): WhatIfUnit => ({ unitId, name: unitId, baseline, scenario, totalDelta: "0", rankDelta, parts: [] });
