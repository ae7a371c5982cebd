import { parseDecimal, type Rational, toExactString } from "../rational.js";
import type { DirectParams } from "../scheme/scheme-schema.js";
import { traceStep } from "../trace.js";
import type { MethodOutcome, ScoringMethod } from "./scoring-method.js";

/** An assessed raw score on its own scale (e.g. business work 26.4 of 30). */
export const directMethod: ScoringMethod<DirectParams> = {
  kind: "direct",

  compile(params, { category, path }) {
    const issues = [];
    const outOf = parseDecimal(params.outOf ?? category.points);
    if (outOf.n === 0n) issues.push({ path: [...path, "outOf"], message: "must be greater than 0" });
    return { issues, compiled: undefined, dependsOn: [] };
  },

  validateData({ category, params, dataset, unitIds }) {
    const issues = [];
    const outOf = parseDecimal(params.outOf ?? category.points);
    const seen = new Set<string>();
    const rows = dataset.scores ?? [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.category !== category.id) continue;
      if (!unitIds.has(row.unit))
        issues.push({ path: ["scores", i, "unit"], message: `unknown unit "${row.unit}"` });
      if (seen.has(row.unit))
        issues.push({
          path: ["scores", i],
          message: `duplicate score for unit "${row.unit}" in "${category.id}"`,
        });
      seen.add(row.unit);
      let value: Rational;
      try {
        value = parseDecimal(row.value);
      } catch (e) {
        issues.push({ path: ["scores", i, "value"], message: (e as Error).message });
        continue;
      }
      if (value.n < 0n || value.n * outOf.d > outOf.n * value.d)
        issues.push({
          path: ["scores", i, "value"],
          message: `${toExactString(value)} is outside 0–${toExactString(outOf)}`,
        });
    }
    return issues;
  },

  score({ category, params, dataset }) {
    const outOf = parseDecimal(params.outOf ?? category.points);
    const out = new Map<string, MethodOutcome>();
    for (const row of dataset.scores ?? []) {
      if (row.category !== category.id) continue;
      const value = parseDecimal(row.value);
      out.set(row.unit, {
        status: "scored",
        value,
        scale: outOf,
        trace: [traceStep("assessed score", `${toExactString(value)} of ${toExactString(outOf)}`)],
      });
    }
    return out;
  },
};
