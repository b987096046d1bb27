import { describe, expect, it } from "vitest";
import { runMorris } from "../../src/analysis/gsa.ts";
import { latinHypercube, morrisTrajectories, rngFor } from "../../src/analysis/sampling.ts";
import { Scenario } from "../../src/scenario/schema.ts";

describe("sampling designs", () => {
  it("a Latin hypercube puts exactly one point in each stratum of every dimension", () => {
    const n = 20;
    const pts = latinHypercube(n, 3, 5);
    for (let j = 0; j < 3; j++) {
      const strata = pts.map((p) => Math.floor(p[j] * n)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it("a Morris trajectory moves each factor exactly once, by ±delta, inside the unit cube", () => {
    for (const t of morrisTrajectories(5, 4, 9)) {
      expect(t.points).toHaveLength(5);
      expect([...t.factor].sort()).toEqual([0, 1, 2, 3]);
      for (let k = 0; k < 4; k++) {
        expect(Math.abs(t.step[k])).toBeCloseTo(2 / 3);
        const diff = t.points[k + 1].map((v, j) => v - t.points[k][j]);
        expect(diff.filter((d) => Math.abs(d) > 1e-12)).toHaveLength(1);
        for (const v of t.points[k + 1]) expect(v).toBeGreaterThanOrEqual(-1e-12);
        for (const v of t.points[k + 1]) expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }
    }
  });

  it("streams depend on (seed, index, stream) and nothing else", () => {
    expect(rngFor(1, 2).next()).toBe(rngFor(1, 2).next());
    expect(rngFor(1, 2).next()).not.toBe(rngFor(1, 3).next());
    expect(rngFor(1, 2, 0).next()).not.toBe(rngFor(1, 2, 1).next());
  });
});

describe("Morris screening", () => {
  // untreated, tissue parameters only: the network is solved once and cached, so this is fast
  const scenario = Scenario.parse({ species: "rat", injury: "permanent-ligation", duration_h: 336 });

  it("ranks the dilation gain above a parameter that cannot move LVEDD", async () => {
    const res = await runMorris({
      scenario,
      readout: "lvedd",
      at: 336,
      r: 4,
      seed: 3,
      only: ["k_interstitial_decay", "k_dilation", "lvedd_sham_mm"],
      workers: 0,
    });
    expect(res.evaluations).toBe(4 * 4);
    const byId = Object.fromEntries(res.rows.map((r) => [r.id, r]));
    // interstitial collagen does not act on LV dilation; what is left is the adaptive solver's step
    // choice (the tissue states are in the coupled ODE's error norm), far below the solver's rtol
    expect(byId.k_interstitial_decay.muStar).toBeLessThan(1e-6);
    expect(byId.k_dilation.muStar).toBeGreaterThan(0.1);
    expect(res.rows[2].id).toBe("k_interstitial_decay");
    // LVEDD rises with the dilation gain: the signed mean is positive
    expect(byId.k_dilation.mu).toBeGreaterThan(0);
  });

  it("names unknown parameters", async () => {
    await expect(
      runMorris({ scenario, readout: "lvef", at: 336, r: 2, seed: 1, only: ["k_dilaton"], workers: 0 }),
    ).rejects.toThrow(/k_dilation/);
  });
});
