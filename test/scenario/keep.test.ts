import { describe, expect, it } from "vitest";
import { evaluateMember } from "../../src/analysis/member.ts";
import { InputError } from "../../src/cli/errors.ts";
import { Scenario } from "../../src/scenario/schema.ts";
import { simulate } from "../../src/scenario/simulate.ts";

const scenario = Scenario.parse({
  species: "rat",
  injury: "permanent-ligation",
  therapy: { source: "hucmsc", route: "intravenous", dose_particles: 1e10 },
});

describe("simulate's keep option (populations that read only some species)", () => {
  it("reports exactly the kept species' values of the full result", () => {
    const full = simulate(scenario, { include: [672] });
    const part = simulate(scenario, { include: [672], keep: ["AKT", "apoptosis", "ischemia"] });
    expect(part.speciesIds.length).toBe(3);
    expect(part.y.length).toBe(3 * part.times.length);
    for (const name of ["AKT", "apoptosis", "ischemia"])
      expect(Array.from(part.series(name))).toEqual(Array.from(full.series(name)));
  });

  it("refuses a species it did not keep, naming the ones it has", () => {
    const part = simulate(scenario, { include: [672], keep: ["AKT"] });
    expect(() => part.series("NLRP3")).toThrow(InputError);
    expect(() => part.series("NLRP3")).toThrow(/AKT/);
    expect(() => simulate(scenario, { keep: ["no-such-node"] })).toThrow(InputError);
  });

  it("gives population members the same tissue readouts as a full result", () => {
    const readouts = ["lvef", "infarct_size", "capillary_density", "collagen_fraction"];
    const kept = evaluateMember({ scenario }, readouts, [168, 672]);
    // a network readout in the list makes the member keep every species
    const all = evaluateMember({ scenario }, [...readouts, "AKT"], [168, 672]);
    expect(kept).toEqual(all.slice(0, kept.length));
  });
});
