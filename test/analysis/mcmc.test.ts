import { describe, expect, it } from "vitest";
import { autocorrTime, diagnose, runEnsemble, splitRhat } from "../../src/analysis/mcmc.ts";
import { rngFor } from "../../src/analysis/sampling.ts";

// correlated 2-D Gaussian with known moments: means (1, -2), sds (0.5, 3), correlation 0.8
const MU = [1, -2];
const SD = [0.5, 3];
const RHO = 0.8;
function logGauss(x: Float64Array): number {
  const a = (x[0] - MU[0]) / SD[0];
  const b = (x[1] - MU[1]) / SD[1];
  return -(a * a - 2 * RHO * a * b + b * b) / (2 * (1 - RHO * RHO));
}

async function sample(seed: number) {
  const init = Array.from({ length: 16 }, (_, w) => {
    const r = rngFor(99, w, 0);
    return Float64Array.from([r.next() - 0.5, r.next() - 0.5]);
  });
  return runEnsemble({ init, steps: 1500, seed, logProb: (ps) => ps.map(logGauss) });
}

describe("ensemble sampler", () => {
  it("recovers the mean, sd and correlation of a known Gaussian", async () => {
    const res = await sample(1);
    const kept = res.chain.slice(500).flat();
    const m = [0, 1].map((i) => kept.reduce((s, x) => s + x[i], 0) / kept.length);
    const s = [0, 1].map((i) => Math.sqrt(kept.reduce((t, x) => t + (x[i] - m[i]) ** 2, 0) / kept.length));
    const r = kept.reduce((t, x) => t + (x[0] - m[0]) * (x[1] - m[1]), 0) / kept.length / (s[0] * s[1]);
    expect(Math.abs(m[0] - MU[0])).toBeLessThan(0.1 * SD[0]);
    expect(Math.abs(m[1] - MU[1])).toBeLessThan(0.1 * SD[1]);
    expect(s[0] / SD[0]).toBeGreaterThan(0.9);
    expect(s[0] / SD[0]).toBeLessThan(1.1);
    expect(s[1] / SD[1]).toBeGreaterThan(0.9);
    expect(s[1] / SD[1]).toBeLessThan(1.1);
    expect(r).toBeGreaterThan(0.75);
    expect(r).toBeLessThan(0.85);
    // the stretch move's usual acceptance on a 2-D Gaussian
    expect(res.acceptance).toBeGreaterThan(0.4);
    expect(res.acceptance).toBeLessThan(0.9);
    for (const i of [0, 1]) {
      const d = diagnose(res.chain.slice(500), i);
      expect(d.rhat).toBeLessThan(1.05);
      expect(d.ess).toBeGreaterThan(500);
    }
  });

  it("is reproducible from its seed, and another seed gives another chain", async () => {
    const a = await sample(7);
    const b = await sample(7);
    const c = await sample(8);
    expect(a.chain.at(-1)!.map((x) => [...x])).toEqual(b.chain.at(-1)!.map((x) => [...x]));
    expect(a.chain.at(-1)!.map((x) => [...x])).not.toEqual(c.chain.at(-1)!.map((x) => [...x]));
  });

  it("never moves a walker outside the support", async () => {
    const res = await runEnsemble({
      init: Array.from({ length: 8 }, (_, w) => Float64Array.from([0.1 + 0.1 * w])),
      steps: 200,
      seed: 3,
      logProb: (ps) => ps.map((x) => (x[0] >= 0 && x[0] <= 1 ? 0 : Number.NEGATIVE_INFINITY)),
    });
    for (const step of res.chain) for (const x of step) expect(x[0] >= 0 && x[0] <= 1).toBe(true);
  });
});

describe("diagnostics", () => {
  it("R-hat is about 1 for chains from one distribution and large for chains that disagree", () => {
    const iid = (seed: number, shift: number) => {
      const r = rngFor(seed, 0, 0);
      return Array.from({ length: 400 }, () => r.normal() + shift);
    };
    expect(splitRhat([iid(1, 0), iid(2, 0), iid(3, 0), iid(4, 0)])).toBeLessThan(1.02);
    expect(splitRhat([iid(1, 0), iid(2, 0), iid(3, 5), iid(4, 5)])).toBeGreaterThan(1.5);
  });
  it("the autocorrelation time of an AR(1) chain is (1 + phi) / (1 - phi)", () => {
    const phi = 0.8;
    const chains = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const r = rngFor(seed, 0, 0);
      let x = 0;
      return Array.from({ length: 5000 }, () => {
        x = phi * x + r.normal();
        return x;
      });
    });
    const tau = autocorrTime(chains);
    expect(tau).toBeGreaterThan(7);
    expect(tau).toBeLessThan(11);
  });
});
