import type { InputIssue } from "../input-error.js";
import { cmp, parseDecimal, toExactString } from "../rational.js";
import { type CompiledScheme, compiledOrCompile } from "./compile-scheme.js";

/**
 * What a scheme about to be published must also pass, beyond compiling: a grade line above the
 * most a total can be (850 typed for 85) gives the grade to no one, and nothing would say why.
 * Not part of `compileScheme`: a scenario's patched scheme may put a line out of reach on purpose
 * ("who is still excellent if public evaluation is worth 20?"; leave-one-out sets points to 0), and
 * `evaluate` must accept what `applyScenario` produced. Issues are in `compileScheme`'s form.
 * Takes a compiled scheme or a document, which is compiled (and checked) first, as `evaluate` does.
 */
export function schemePublishingIssues(scheme: CompiledScheme | unknown): InputIssue[] {
  const { maxTotal, scheme: document } = compiledOrCompile(scheme);
  const issues: InputIssue[] = [];
  document.grades.rules.forEach((r, i) => {
    if (r.minTotal !== undefined && cmp(parseDecimal(r.minTotal), maxTotal) > 0)
      issues.push({
        path: ["grades", "rules", i, "minTotal"],
        message: `${r.minTotal} is above the most a total can be (${toExactString(maxTotal)}: the categories' points plus bonusCap): no unit could get this grade`,
      });
  });
  return issues;
}
