import { describe, expect, it } from "vitest";
import { type CalibrationTarget, loadCalibrationTargets } from "../../src/analysis/calibrate.ts";
import {
  gaussianLogPdf,
  logLikelihood,
  planOf,
  targetLogLikelihood,
  targetValuesFrom,
} from "../../src/analysis/likelihood.ts";

const obs = (mean: number, sd: number) =>
  ({ id: "x", kind: "value", observed: { mean, sd, basis: "test" } }) as unknown as CalibrationTarget;
const bound = (b: { min?: number; max?: number }, scale: number) =>
  ({ id: "b", kind: "ratio", bound: { ...b, scale, basis: "test" } }) as unknown as CalibrationTarget;

describe("likelihood", () => {
  it("is the Gaussian log-density of the observation given the model", () => {
    expect(gaussianLogPdf(0, 0, 1)).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 12);
    // N(28 | 31, 5): z = -0.6
    expect(targetLogLikelihood(obs(28, 5), 31)).toBeCloseTo(
      -0.18 - Math.log(5) - 0.5 * Math.log(2 * Math.PI),
      12,
    );
    expect(logLikelihood([obs(0, 1), obs(10, 2)], [1, 14])).toBeCloseTo(
      -0.5 - 2 - Math.log(2) - Math.log(2 * Math.PI),
      12,
    );
  });

  it("costs nothing inside a bound and a Gaussian tail outside", () => {
    expect(targetLogLikelihood(bound({ max: 1.5 }, 0.15), 1.2)).toBe(0);
    expect(targetLogLikelihood(bound({ max: 1.5 }, 0.15), 1.8)).toBeCloseTo(-2, 12);
    expect(targetLogLikelihood(bound({ min: 0 }, 0.5), -1)).toBeCloseTo(-2, 12);
  });

  it("is -Infinity for a non-finite model value", () => {
    expect(logLikelihood([obs(0, 1), obs(1, 1)], [0, Number.NaN])).toBe(Number.NEGATIVE_INFINITY);
  });

  it("reads each target from its scenarios (value, difference, ratio, gain ratio)", () => {
    const targets = loadCalibrationTargets();
    const plan = planOf(targets);
    const R = plan.readouts.length;
    const T = plan.times.length;
    // synthetic outputs: a distinct number for every (scenario, readout, time)
    const values = Array.from({ length: plan.scenarios.length * R * T }, (_, i) => 1 + i * 0.37);
    const at = (s: object, readout: string, time: number) =>
      values[
        plan.scenarios.findIndex((x) => JSON.stringify(x) === JSON.stringify(s)) * R * T +
          plan.readouts.indexOf(readout) * T +
          plan.times.indexOf(time)
      ];
    const got = targetValuesFrom(plan, values);
    targets.forEach((t, i) => {
      const a = at(t.scenario, t.readout, t.time_h);
      const b = t.reference ? at(t.reference, t.readout, t.time_h) : 0;
      const c = t.baseline ? at(t.baseline, t.readout, t.time_h) : 0;
      const want = { value: a, difference: a - b, ratio: a / b, gain_ratio: (a - c) / (b - c) }[t.kind];
      expect(got[i], t.id).toBeCloseTo(want, 12);
    });
    expect(targets.some((t) => t.kind === "gain_ratio")).toBe(true);
  });
});

describe("calibration targets' observation models", () => {
  const targets = loadCalibrationTargets();
  it("give every target a mean with a positive sd, or a bound, with its basis", () => {
    for (const t of targets) {
      expect((t.observed === undefined) !== (t.bound === undefined), t.id).toBe(true);
      if (t.observed) expect(t.observed.sd).toBeGreaterThan(0);
      expect((t.observed?.basis ?? t.bound?.basis ?? "").length).toBeGreaterThan(3);
    }
  });
  it("convert a 95% CI to the SD of the mean", () => {
    for (const t of targets.filter((x) => x.observed?.ci95)) {
      const [lo, hi] = t.observed!.ci95!;
      expect(t.observed!.sd, t.id).toBeCloseTo((hi - lo) / 3.92, 2);
    }
  });
  it("encode the per-route LVEF targets of issue 13 (both routes in 3.7-12.7, IM/IV <= 1.5)", () => {
    const iv = targets.find((t) => t.id === "native-lvef-gain-d28")!;
    const im = targets.find((t) => t.id === "native-im-lvef-gain-d28")!;
    expect(iv.scenario.therapy?.route).toBe("intravenous");
    expect(im.scenario.therapy?.route).toBe("intramyocardial");
    for (const t of [iv, im]) {
      expect(t.observed!.mean - 1.645 * t.observed!.sd).toBeCloseTo(3.67, 1);
      expect(t.observed!.mean + 1.645 * t.observed!.sd).toBeCloseTo(12.65, 1);
    }
    const ratio = targets.find((t) => t.kind === "gain_ratio")!;
    expect(ratio.bound!.max).toBe(1.5);
  });
});
