import { describe, expect, it } from "vitest";
import type { ScenarioInput } from "../../src/scenario/schema.ts";
import { simulate } from "../../src/scenario/simulate.ts";

/** Largest relative difference over every species and output time (values below 1e-3 compared absolutely). */
function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]) / Math.max(1e-3, Math.abs(b[k])));
  return m;
}

const cases: [string, ScenarioInput][] = [
  [
    "rat, permanent ligation, native exosomes IV",
    { species: "rat", injury: "permanent-ligation", therapy: { source: "hucmsc", route: "intravenous" } },
  ],
  [
    "mouse, ischemia-reperfusion, untreated",
    { species: "mouse", injury: "ischemia-reperfusion", therapy: null },
  ],
  [
    "mouse, ischemia-reperfusion, intramyocardial at reperfusion",
    {
      species: "mouse",
      injury: "ischemia-reperfusion",
      therapy: { source: "hucmsc", route: "intramyocardial", time_h: 0.75 },
    },
  ],
];

describe("the scenario solver's accuracy", () => {
  it.each(cases)("%s: default solver within 1e-3 of a tight Dormand–Prince reference", (_name, sc) => {
    const fast = simulate(sc);
    const ref = simulate(sc, { solver: { method: "dopri5", rtol: 1e-9, atol: 1e-12 } });
    expect(fast.stats.jacobians).toBeGreaterThan(0); // the stiff solver ran
    expect(maxRelDiff(fast.y, ref.y)).toBeLessThan(1e-3);
  });
});
