import type { Scenario } from "../scenario/schema.ts";
import { type CalibrationTarget, combine, targetScenarios } from "./calibrate.ts";

/**
 * Likelihood of the calibration targets given model outputs. Pure arithmetic, no simulation: the
 * sampler (src/analysis/fit.ts) evaluates the model and hands the target values here, so the
 * likelihood can be tested on known numbers.
 *
 * observed targets: Gaussian, log N(mean | model, sd) — the observation sd of data/calibration.yaml.
 * bound targets: 0 inside, −½((x − edge)/scale)² outside (a soft wall; no normalizing constant is
 * needed, the scale is fixed).
 * A non-finite model value makes the likelihood −∞ (the parameter set cannot produce the target).
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function gaussianLogPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd) - LOG_SQRT_2PI;
}

/** Log-likelihood contribution of one target whose model value is `model`. */
export function targetLogLikelihood(t: CalibrationTarget, model: number): number {
  if (!Number.isFinite(model)) return Number.NEGATIVE_INFINITY;
  if (t.not_fitted !== undefined) return 0;
  if (t.observed) return gaussianLogPdf(t.observed.mean, model, t.observed.sd);
  const b = t.bound!;
  let excess = 0;
  if (b.max !== undefined && model > b.max) excess = model - b.max;
  else if (b.min !== undefined && model < b.min) excess = b.min - model;
  return excess === 0 ? 0 : -0.5 * (excess / b.scale) ** 2;
}

export function logLikelihood(targets: readonly CalibrationTarget[], models: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < targets.length; i++) sum += targetLogLikelihood(targets[i], models[i]);
  return Number.isNaN(sum) ? Number.NEGATIVE_INFINITY : sum;
}

/**
 * Which simulations a set of targets needs: every distinct scenario once, each read at the union of
 * readouts and times (one tissue course gives every tissue readout, so the union costs little and
 * lets one pool call carry all scenarios).
 */
export interface CalibrationPlan {
  targets: CalibrationTarget[];
  scenarios: Scenario[];
  readouts: string[];
  times: number[];
}

const keyOf = (s: Scenario) => JSON.stringify(s);

export function planOf(targets: readonly CalibrationTarget[]): CalibrationPlan {
  const scenarios = new Map<string, Scenario>();
  const readouts = new Set<string>();
  const times = new Set<number>();
  for (const t of targets) {
    for (const s of targetScenarios(t)) scenarios.set(keyOf(s), s);
    readouts.add(t.readout);
    times.add(t.time_h);
  }
  return {
    targets: [...targets],
    scenarios: [...scenarios.values()],
    readouts: [...readouts],
    times: [...times].sort((a, b) => a - b),
  };
}

/**
 * Target model values from one parameter set's simulations: `values` is scenario-major, then readout,
 * then time (the layout of evaluateMany over plan.scenarios).
 */
export function targetValuesFrom(plan: CalibrationPlan, values: ArrayLike<number>, offset = 0): number[] {
  const R = plan.readouts.length;
  const T = plan.times.length;
  const index = new Map(plan.scenarios.map((s, i) => [keyOf(s), i]));
  const read = (s: Scenario | undefined, readout: string, time: number): number | null => {
    if (!s) return null;
    const i = index.get(keyOf(s))!;
    return values[offset + i * R * T + plan.readouts.indexOf(readout) * T + plan.times.indexOf(time)];
  };
  return plan.targets.map((t) =>
    combine(
      t.kind,
      read(t.scenario, t.readout, t.time_h)!,
      read(t.reference, t.readout, t.time_h),
      read(t.baseline, t.readout, t.time_h),
    ),
  );
}
