import { describe, expect, it } from "vitest";
import { sampleMember } from "../../src/analysis/cohort.ts";
import { evaluateMember, uncertainParameters } from "../../src/analysis/member.ts";
import { Scenario } from "../../src/scenario/schema.ts";

describe("the population solver (cohorts, GSA, optimizer)", () => {
  it("gives member readouts within 0.01 points of a tight Dormand–Prince reference", () => {
    const scenario = Scenario.parse({
      species: "rat",
      injury: "permanent-ligation",
      therapy: { source: "hucmsc", route: "intravenous", dose_particles: 1e10 },
    });
    const params = uncertainParameters(scenario);
    const readouts = ["lvef", "infarct_size", "capillary_density", "collagen_fraction"];
    let worst = 0;
    for (let i = 0; i < 4; i++) {
      const d = sampleMember({ scenario, seed: 11 }, i, params);
      for (const spec of [d.untreated, d.treated]) {
        const fast = evaluateMember(spec, readouts, [168, 672]);
        const ref = evaluateMember(
          { ...spec, solver: { method: "dopri5", rtol: 1e-9, atol: 1e-12 } },
          readouts,
          [168, 672],
        );
        // capillary density is per mm² (thousands): compare relative to its size
        fast.forEach((v, k) => {
          worst = Math.max(worst, Math.abs(v - ref[k]) / Math.max(1, Math.abs(ref[k]) / 100));
        });
      }
    }
    expect(worst).toBeLessThan(0.01);
  });
});
