import { describe, expect, it } from "vitest";
import {
  decodeDesign,
  defaultDesignSpace,
  evidenceFor,
  GENES,
  geneticAlgorithm,
  optimizeDesign,
} from "../../src/analysis/optimize.ts";
import { Scenario } from "../../src/scenario/schema.ts";

describe("genetic algorithm", () => {
  it("finds the minimum of a shifted sphere", async () => {
    const centre = [0.2, 0.7, 0.45, 0.9];
    const sphere = (x: Float64Array) => x.reduce((s, v, j) => s + (v - centre[j]) ** 2, 0);
    const all = await geneticAlgorithm(async (xs) => xs.map((x) => -sphere(x)), {
      dim: 4,
      popSize: 30,
      generations: 40,
      seed: 2,
    });
    const best = all[0].x;
    for (let j = 0; j < 4; j++) expect(Math.abs(best[j] - centre[j])).toBeLessThan(0.05);
    // a random point is far worse: the search did the work
    expect(-all[0].score).toBeLessThan(0.005);
  });

  it("is deterministic for a seed", async () => {
    const f = async (xs: Float64Array[]) => xs.map((x) => -Math.abs(x[0] - 0.3));
    const a = await geneticAlgorithm(f, { dim: 2, popSize: 6, generations: 3, seed: 9 });
    const b = await geneticAlgorithm(f, { dim: 2, popSize: 6, generations: 3, seed: 9 });
    expect(a.map((s) => Array.from(s.x))).toEqual(b.map((s) => Array.from(s.x)));
  });
});

describe("design space", () => {
  const space = defaultDesignSpace();

  it("decodes every corner of the cube into a valid Scenario therapy within the feasible ranges", () => {
    for (const u of [
      new Float64Array(GENES).fill(0),
      new Float64Array(GENES).fill(0.999),
      new Float64Array(GENES).fill(0.5),
    ]) {
      const th = decodeDesign(u, space);
      const s = Scenario.parse({ species: "rat", therapy: th });
      const doses = s.therapy!.doses ?? [
        { time_h: th.time_h, dose_particles: th.dose_particles, route: th.route },
      ];
      expect(doses.length).toBeLessThanOrEqual(space.maxDoses);
      for (const d of doses) {
        expect(d.dose_particles).toBeGreaterThanOrEqual(space.doseRange[0] * 0.99);
        expect(d.dose_particles).toBeLessThanOrEqual(space.doseRange[1] * 1.01);
        expect(space.routes).toContain(d.route);
      }
    }
    expect(decodeDesign(new Float64Array(GENES).fill(0), space).engineering).toEqual([]);
    expect(decodeDesign(new Float64Array(GENES).fill(0.999), space).doses).toHaveLength(3);
  });

  it("gives the evidence path of each component", () => {
    const th = {
      source: "hucmsc" as const,
      route: "intravenous",
      dose_particles: 1e10,
      time_h: 0,
      engineering: [
        { kind: "overexpress" as const, gene: "MIF" },
        { kind: "load" as const, molecule: "miR_23a_3p" },
      ],
    };
    const ev = evidenceFor(th);
    expect(ev.find((e) => e.component === "overexpress MIF")?.references).toContain("Zhu et al., 2021");
    expect(ev.find((e) => e.component === "load miR_23a_3p")?.references).toContain("Song et al., 2021");
    expect(ev.find((e) => e.component.startsWith("route"))?.references.length).toBeGreaterThan(0);
  });
});

describe("design optimizer", () => {
  const scenario = Scenario.parse({ species: "rat", injury: "permanent-ligation", duration_h: 48 });
  const space = {
    ...defaultDesignSpace(),
    routes: ["intravenous"],
    maxDoses: 1,
    firstDoseRange_h: [0, 6] as [number, number],
  };

  it("returns ranked designs with outcome intervals and cost, best first", async () => {
    const res = await optimizeDesign({
      scenario,
      objective: "apoptosis",
      at: 24,
      direction: "min",
      robust: "mean",
      cohortSize: 1,
      budget: 4,
      popSize: 4,
      seed: 1,
      space,
      constraints: { method: "tff" },
      workers: 0,
    });
    expect(res.designs.length).toBeGreaterThan(0);
    for (let i = 1; i < res.designs.length; i++)
      expect(res.designs[i].score).toBeGreaterThanOrEqual(res.designs[i - 1].score);
    const d = res.designs[0];
    expect(d.outcome.p5).toBeLessThanOrEqual(d.outcome.median);
    expect(d.costPerDoseUsd).toBeGreaterThan(0);
    expect(d.evidence.length).toBeGreaterThan(0);
  });

  it("rules out every design when the cost-of-goods limit is below any dose", async () => {
    const res = await optimizeDesign({
      scenario,
      objective: "lvef",
      at: 24,
      direction: "max",
      robust: 0.1,
      cohortSize: 1,
      budget: 4,
      popSize: 4,
      seed: 1,
      space,
      constraints: { method: "tff", maxCostPerDose: 0.01 },
      workers: 0,
    });
    expect(res.designs).toEqual([]);
    expect(res.infeasible).toBe(res.evaluated);
  });
});
