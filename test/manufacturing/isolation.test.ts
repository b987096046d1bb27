import { describe, expect, it } from "vitest";
import { costPerDose } from "../../src/manufacturing/economics.ts";
import {
  compareMethods,
  estimateMethod,
  findMethod,
  loadIsolationData,
} from "../../src/manufacturing/isolation.ts";

const data = loadIsolationData();

describe("isolation methods", () => {
  it("covers the six methods of the issue, each value sourced or an assumption with a range", () => {
    expect(data.methods.map((m) => m.id).sort()).toEqual(["af4", "dgc", "precipitation", "sec", "tff", "uc"]);
  });

  it("at 10 L, TFF runs once and fastest while UC needs many rotor runs and recovers less", () => {
    const rows = Object.fromEntries(compareMethods(data, 10).map((r) => [r.id, r]));
    expect(rows.tff.runs).toBe(1);
    expect(rows.uc.runs).toBeGreaterThan(10);
    expect(rows.tff.hours).toBe(Math.min(...Object.values(rows).map((r) => r.hours)));
    expect(rows.tff.particles / rows.uc.particles).toBeCloseTo(0.6088 / 0.21, 6);
    expect(rows.precipitation.purityClass).toBe("impure");
    expect(rows.tff.scalability).toBe("high");
    for (const r of Object.values(rows)) {
      expect(r.particlesRange[0]).toBeLessThanOrEqual(r.particles);
      expect(r.particlesRange[1]).toBeGreaterThanOrEqual(r.particles);
    }
  });

  it("scales particle yield linearly with volume", () => {
    const tff = findMethod(data, "tff");
    expect(estimateMethod(data, tff, 20).particles / estimateMethod(data, tff, 10).particles).toBeCloseTo(
      2,
      9,
    );
  });

  it("names the allowed methods for an unknown one", () => {
    expect(() => findMethod(data, "tf")).toThrow(/tff/);
  });
});

describe("production economics", () => {
  it("a default TFF run yields about the review's 1e11 particles and prices a 1e11 dose within $10–20k", () => {
    const est = costPerDose(data, { doseParticles: 1e11, method: "tff" });
    expect(est.particlesPerRun).toBeGreaterThan(0.5e11);
    expect(est.particlesPerRun).toBeLessThan(2e11);
    expect(est.costPerDoseUsd).toBeGreaterThanOrEqual(10_000);
    expect(est.costPerDoseUsd).toBeLessThanOrEqual(20_000);
    expect(est.costPerDoseRangeUsd[0]).toBeLessThan(est.costPerDoseUsd);
    expect(est.costPerDoseRangeUsd[1]).toBeGreaterThan(est.costPerDoseUsd);
  });

  it("a dose larger than one run needs several runs and costs proportionally more", () => {
    const one = costPerDose(data, { doseParticles: 1e11, method: "tff" });
    const big = costPerDose(data, { doseParticles: 1e12, method: "tff" });
    expect(big.runsPerDose).toBe(Math.ceil(1e12 / one.usableParticlesPerRun));
    expect(big.costPerDoseUsd).toBeCloseTo(big.runsPerDose * one.costPerRunUsd, 6);
  });

  it("small doses share a run", () => {
    const est = costPerDose(data, { doseParticles: 1e10, method: "tff" });
    expect(est.dosesPerRun).toBe(Math.floor(est.usableParticlesPerRun / 1e10));
    expect(est.costPerDoseUsd).toBeCloseTo(est.costPerRunUsd / est.dosesPerRun, 6);
  });

  it("slower-doubling bone-marrow MSCs take longer and cost more than HUCMSCs", () => {
    const uc = costPerDose(data, { doseParticles: 1e11, method: "tff", cellSource: "hucmsc" });
    const bm = costPerDose(data, { doseParticles: 1e11, method: "tff", cellSource: "bm-msc" });
    expect(bm.daysPerRun).toBeGreaterThan(uc.daysPerRun);
    expect(bm.costPerDoseUsd).toBeGreaterThan(uc.costPerDoseUsd);
  });

  it("UC at GMP run scale costs more per dose than TFF", () => {
    const uc = costPerDose(data, { doseParticles: 1e11, method: "uc" });
    const tff = costPerDose(data, { doseParticles: 1e11, method: "tff" });
    expect(uc.costPerDoseUsd).toBeGreaterThan(tff.costPerDoseUsd);
  });

  it("rejects a non-positive dose and an unknown cell source", () => {
    expect(() => costPerDose(data, { doseParticles: 0, method: "tff" })).toThrow(/dose-particles/);
    expect(() => costPerDose(data, { doseParticles: 1e11, method: "tff", cellSource: "ipsc" })).toThrow(
      /hucmsc/,
    );
  });
});
