/**
 * What the compiler says about a scenario argument. Vitest strips types without checking them:
 * these tests bite through `tsc --noEmit -p .` (packages/engine/tsconfig.json includes all of
 * src, test files too), where a `@ts-expect-error` with no error under it is itself an error. A
 * scenario parameter typed `unknown` again (`ScenarioInput | unknown` is `unknown`) would take
 * every call below, and the typecheck would fail on each unused directive. The calls also run,
 * so the same inputs are shown refused at run time, as a JavaScript caller's or JSON's are.
 */
import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { InputError } from "../input-error.js";
import { applyScenario, parseScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { runScenario } from "./run-scenario.js";
import type { Scenario } from "./scenario.js";

const baseline = createBaseline(
  directScheme(),
  directDataset([
    ["20", "25", "80"],
    ["25", "20", "60"],
  ]),
);
const { scheme } = baseline.compiled;

describe("a scenario's type", () => {
  it("refuses a misspelt field, and what is no scenario, at compile time as at run time", () => {
    const refused = (run: () => unknown) => expect(run).toThrow(InputError);
    // @ts-expect-error "ptach" is no field of a scenario
    refused(() => runScenario(baseline, { name: "x", ptach: {} }));
    // @ts-expect-error a number is no scenario
    refused(() => runScenario(baseline, 42));
    // @ts-expect-error "pionts" is no field of a category's patch
    refused(() => runScenario(baseline, { name: "x", patch: { categories: { public: { pionts: 50 } } } }));
    // @ts-expect-error "ptach" is no field of a scenario
    refused(() => applyScenario(scheme, baseline.dataset, { name: "x", ptach: {} }));
    // @ts-expect-error a number is no scenario
    refused(() => applyScenario(scheme, baseline.dataset, 42));
  });

  it("refuses JSON of unknown shape until parseScenario has checked it", () => {
    const json: unknown = JSON.parse(
      '{ "name": "reform", "patch": { "categories": { "public": { "points": 50 } } } }',
    );
    // @ts-expect-error unknown is not yet a scenario
    expect(runScenario(baseline, json).units).toHaveLength(2);
    // parseScenario takes anything and gives the typed scenario that runScenario and applyScenario take.
    const scenario: Scenario = parseScenario(json);
    expect(runScenario(baseline, scenario).scenario.name).toBe("reform");
    expect(applyScenario(scheme, baseline.dataset, scenario).compiled.scheme.categories[2]!.points).toBe(50);
    expect(() => parseScenario(42)).toThrow(InputError);
  });
});
