import { unknownId } from "../exact-id.js";
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
    if (outOf.n === 0n)
      // Without outOf the scale is the category's points: an issue at "outOf" would name a field not written.
      issues.push(
        params.outOf === undefined
          ? {
              path,
              message: "the category has 0 points, so its raw scores need a scale: give outOf",
            }
          : { path: [...path, "outOf"], message: "must be greater than 0" },
      );
    return { issues, compiled: undefined, dependsOn: [] };
  },

  validateData({ category, params, dataset, unitIds }) {
    const issues = [];
    const outOf = parseDecimal(params.outOf ?? category.points);
    // Unit → the row of its first score, for naming it beside a duplicate.
    const seen = new Map<string, number>();
    const rows = dataset.scores ?? [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.category !== category.id) continue;
      if (!unitIds.has(row.unit))
        issues.push({
          path: ["scores", i, "unit"],
          message: row.unit == null ? "unit is missing (required)" : unknownId("unit", row.unit, unitIds),
        });
      const first = seen.get(row.unit);
      if (first !== undefined)
        issues.push({
          path: ["scores", i],
          message: `duplicate of scores[${first}]`,
        });
      else seen.set(row.unit, i);
      if (row.value == null) {
        issues.push({ path: ["scores", i, "value"], message: "value is missing (required)" });
        continue;
      }
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
