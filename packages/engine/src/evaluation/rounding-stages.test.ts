import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { evaluate } from "./evaluate.js";

// business 10.125 of 30, organ 10.125 of 30, public 50.3125 of 100 → 20.125 of 40: three exact
// halves. Rounded one by one they gain 0.015 over their exact sum 40.375 (→ 40.38 when only the
// total is rounded): which stages are rounded decides the published total.
const halves = directDataset([["10.125", "10.125", "50.3125"]]);

function totalWith(stages: ("category" | "adjustment" | "total")[]): string | null {
  return evaluate(directScheme({ rounding: { decimals: 2, stages } }), halves).units[0]!.total;
}

describe("rounding stages, as the scheme names them", () => {
  it("rounds categories only when the category stage is named, the total only when the total stage is", () => {
    expect(totalWith(["category", "total"])).toBe("40.39");
    expect(totalWith(["total"])).toBe("40.38");
    expect(totalWith(["category"])).toBe("40.39");
    expect(totalWith([])).toBe("40.38"); // published at 2 decimals, half-up, from 40.375
  });

  it("rounds deductions from the total before subtracting them when the adjustment stage is named", () => {
    const scheme = directScheme({
      rounding: { decimals: 2, stages: ["category", "adjustment", "total"] },
      findingTypes: [{ id: "visit", name: "unannounced visit", levels: { city: { perFinding: "0.125" } } }],
    });
    const dataset = {
      ...directDataset([["26.4", "26.94", "77.15"]]),
      findings: [{ id: "F1", unit: "U1", type: "visit", level: "city" }],
    };
    const u = evaluate(scheme, dataset).units[0]!;
    // 84.20 − round(0.125) = 84.20 − 0.13 = 84.07, not round(84.075) = 84.08.
    expect(u.deducted).toBe("0.13");
    expect(u.total).toBe("84.07");
  });

  it("floors a category at zero when its deductions exceed its points, and takes only what was there", () => {
    const scheme = directScheme({
      findingTypes: [
        { id: "complaint", name: "complaints", category: "organ", levels: { city: { perFinding: 8 } } },
      ],
    });
    const dataset = {
      ...directDataset([["20", "5", "50"]]),
      findings: [{ id: "F1", unit: "U1", type: "complaint", level: "city" }],
    };
    const u = evaluate(scheme, dataset).units[0]!;
    const organ = u.categories.find((c) => c.category === "organ")!;
    expect(organ.points).toBe("0.00");
    expect(organ.deducted).toBe("5");
    // 20 + 0 + 20, not 20 − 3 + 20.
    expect(u.total).toBe("40.00");
  });
});
