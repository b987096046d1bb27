import type { CalibrationTarget } from "./calibrate.ts";
import { evaluateTargets } from "./fit.ts";
import { planOf } from "./likelihood.ts";
import { createEvaluator, type Evaluator } from "./pool.ts";
import { calibratedParameters, type Posterior, posteriorParameters } from "./posterior.ts";
import { quantile } from "./sampling.ts";

/**
 * The posterior predictive report of `exomi calibrate --report`. For each target: the model's value at
 * every posterior draw; its median; the 90% posterior predictive interval — the 5th and 95th
 * percentiles of the mixture over draws of N(model(draw), sd_obs²), i.e. model spread over the
 * posterior PLUS the observation sd of the target (so a target with a wide observation sd gets a wide
 * interval even when the posterior is narrow); z = (observed − model median) / √(sd_obs² +
 * var_model). A target is inside when its observed mean lies in that interval. Bound targets have no
 * observation noise: their interval is the model's 5–95% over draws, and they are inside when the
 * model median satisfies the bound (z = distance beyond the bound / scale, 0 inside).
 */

export interface PredictiveRow {
  target: CalibrationTarget;
  /** model values over the draws */
  values: number[];
  median: number;
  /** 90% posterior predictive interval */
  lo: number;
  hi: number;
  z: number;
  inside: boolean;
  /** a miss without known_miss_reason fails the report */
  reason: string | null;
}

export interface PredictiveReport {
  rows: PredictiveRow[];
  /** where the parameter sets came from */
  basis: "posterior" | "nominal";
  draws: number;
}

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for percentiles of a report. */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}
export const normalCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

/** Quantile q of the equal-weight mixture of N(m_k, sd²), by bisection on its CDF. */
export function mixtureQuantile(means: readonly number[], sd: number, q: number): number {
  const cdf = (y: number) => means.reduce((s, m) => s + normalCdf((y - m) / sd), 0) / means.length;
  let lo = Math.min(...means) - 10 * sd;
  let hi = Math.max(...means) + 10 * sd;
  for (let i = 0; i < 100 && hi - lo > 1e-10 * (1 + Math.abs(hi)); i++) {
    const mid = 0.5 * (lo + hi);
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** One row from the model values of a target over the draws (pure: testable without the model). */
export function predictiveRow(t: CalibrationTarget, values: number[]): PredictiveRow {
  const finite = values.filter(Number.isFinite);
  const reason = t.known_miss_reason ?? null;
  if (finite.length === 0)
    return {
      target: t,
      values,
      median: Number.NaN,
      lo: Number.NaN,
      hi: Number.NaN,
      z: Number.NaN,
      inside: false,
      reason,
    };
  const median = quantile(finite, 0.5);
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  const varModel =
    finite.length > 1 ? finite.reduce((s, v) => s + (v - mean) ** 2, 0) / (finite.length - 1) : 0;
  if (t.observed) {
    const { mean: obs, sd } = t.observed;
    const lo = mixtureQuantile(finite, sd, 0.05);
    const hi = mixtureQuantile(finite, sd, 0.95);
    return {
      target: t,
      values,
      median,
      lo,
      hi,
      z: (obs - median) / Math.sqrt(sd * sd + varModel),
      inside: obs >= lo && obs <= hi,
      reason,
    };
  }
  const b = t.bound!;
  const beyond =
    b.max !== undefined && median > b.max
      ? median - b.max
      : b.min !== undefined && median < b.min
        ? median - b.min
        : 0;
  return {
    target: t,
    values,
    median,
    lo: quantile(finite, 0.05),
    hi: quantile(finite, 0.95),
    z: beyond / b.scale,
    inside: beyond === 0,
    reason,
  };
}

/** Misses that have no recorded reason: what makes `exomi calibrate --report` exit 1. */
export const unexplainedMisses = (rows: readonly PredictiveRow[]) =>
  rows.filter((r) => !r.inside && !r.reason);

export interface ReportOptions {
  posterior: Posterior | null;
  /** at most this many draws (evenly spaced through the posterior's draws) */
  draws?: number;
  workers?: number;
  evaluator?: Evaluator;
  onProgress?: (done: number, total: number) => void;
}

export async function predictiveReport(
  targets: CalibrationTarget[],
  opts: ReportOptions,
): Promise<PredictiveReport> {
  const plan = planOf(targets);
  const post = opts.posterior;
  // without a posterior, the nominal values of the data files stand in as a single draw
  const params = post ? posteriorParameters(post) : calibratedParameters();
  let sets: number[][];
  if (post) {
    const n = Math.min(post.draws.length, opts.draws ?? 200);
    const step = post.draws.length / n;
    sets = Array.from({ length: n }, (_, k) => post.draws[Math.floor(k * step)]);
  } else sets = [params.map((p) => p.nominal)];
  const evaluator = opts.evaluator ?? createEvaluator(opts.workers);
  try {
    const values = await evaluateTargets(evaluator, plan, params, sets, opts.onProgress);
    return {
      rows: targets.map((t, i) =>
        predictiveRow(
          t,
          values.map((v) => v[i]),
        ),
      ),
      basis: post ? "posterior" : "nominal",
      draws: sets.length,
    };
  } finally {
    if (!opts.evaluator) await evaluator.close();
  }
}
