import { execFileSync } from "node:child_process";
import { basename, dirname } from "node:path";
import { CALIBRATION_PATH, type CalibrationTarget, loadCalibrationTargets } from "./calibrate.ts";
import { type CalibrationPlan, logLikelihood, planOf, targetValuesFrom } from "./likelihood.ts";
import { diagnose, runEnsemble } from "./mcmc.ts";
import { fromUnit, type UncertainParameter, withParameters } from "./member.ts";
import { createEvaluator, type Evaluator, evaluateMany } from "./pool.ts";
import {
  CALIBRATED_PARAMETERS,
  calibratedParameters,
  dataHashes,
  type Posterior,
  targetsFingerprint,
  toUnit,
} from "./posterior.ts";
import { quantile, rngFor } from "./sampling.ts";

/**
 * `exomi calibrate --fit`: the posterior of the calibrated parameters given the targets of
 * data/calibration.yaml. Prior: uniform on each documented range (log-uniform for ranges over a
 * decade, as cohorts and GSA sample them). Likelihood: src/analysis/likelihood.ts. Sampler: the
 * ensemble of src/analysis/mcmc.ts in unit-cube coordinates (prior = 1 inside the cube, 0 outside),
 * so one stretch move is scale-free across parameters whose ranges differ by orders of magnitude.
 */

/**
 * Target model values for many parameter sets: every scenario of the plan simulated with each set
 * (network solves of untreated scenarios are shared through member.ts's cache). Returns one array of
 * target values per set.
 */
export async function evaluateTargets(
  evaluator: Evaluator,
  plan: CalibrationPlan,
  params: readonly UncertainParameter[],
  sets: readonly ArrayLike<number>[],
  onProgress?: (done: number, total: number) => void,
): Promise<number[][]> {
  const S = plan.scenarios.length;
  const per = S * plan.readouts.length * plan.times.length;
  const raw = await evaluateMany(
    evaluator,
    sets.length * S,
    (j) => withParameters({ scenario: plan.scenarios[j % S] }, params, sets[Math.floor(j / S)]),
    plan.readouts,
    plan.times,
    // one parameter set per task: a worker simulates all its scenarios in a row
    { chunkSize: S, onProgress: onProgress ? (d, t) => onProgress(Math.floor(d / S), t / S) : undefined },
  );
  return sets.map((_, k) => targetValuesFrom(plan, raw, k * per));
}

export interface FitOptions {
  targets?: CalibrationTarget[];
  targetsPath?: string;
  parameterIds?: readonly string[];
  seed: number;
  walkers?: number;
  steps: number;
  /** steps discarded as burn-in (default: half) */
  burn?: number;
  /** posterior draws kept after thinning */
  samples?: number;
  /** width of the initial ball around the nominal values, in unit-cube coordinates */
  initWidth?: number;
  workers?: number;
  evaluator?: Evaluator;
  onStep?: (step: number, steps: number, acceptance: number, evaluations: number) => void;
}

function gitInfo(cwd: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--", "src", "data"], {
      cwd,
      encoding: "utf8",
    });
    // the posterior file itself does not make the model dirty
    const dirty = status.split("\n").some((l) => l.trim() && !l.endsWith("posterior.json"));
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: true };
  }
}

export async function fitPosterior(opts: FitOptions): Promise<Posterior> {
  const targetsPath = opts.targetsPath ?? CALIBRATION_PATH;
  const targets = opts.targets ?? loadCalibrationTargets(targetsPath);
  const plan = planOf(targets);
  const params = calibratedParameters(opts.parameterIds ?? CALIBRATED_PARAMETERS);
  const d = params.length;
  const walkers = opts.walkers ?? 2 * d + 2;
  const burn = opts.burn ?? Math.floor(opts.steps / 2);
  if (!(burn >= 0 && burn < opts.steps)) throw new Error(`burn-in ${burn} must be below steps ${opts.steps}`);
  const width = opts.initWidth ?? 0.1;
  const evaluator = opts.evaluator ?? createEvaluator(opts.workers);
  const started = Date.now();
  let evaluations = 0;
  const logProb = async (us: Float64Array[]) => {
    const out = us.map(() => Number.NEGATIVE_INFINITY);
    const inside = us.flatMap((u, k) => (u.every((x) => x >= 0 && x <= 1) ? [k] : []));
    const sets = inside.map((k) => params.map((p, i) => fromUnit(p, us[k][i])));
    const values = await evaluateTargets(evaluator, plan, params, sets);
    evaluations += sets.length;
    inside.forEach((k, m) => {
      out[k] = logLikelihood(targets, values[m]);
    });
    return out;
  };
  try {
    // walkers start in a small ball around the nominal values (today's hand calibration): a short
    // burn-in then suffices; the ball is clipped to the cube so every start has prior support
    const init = Array.from({ length: walkers }, (_, w) => {
      const rng = rngFor(opts.seed, w, 7);
      return Float64Array.from(params, (p) =>
        Math.min(0.999, Math.max(0.001, toUnit(p, p.nominal) + width * (rng.next() - 0.5))),
      );
    });
    const res = await runEnsemble({
      init,
      steps: opts.steps,
      seed: opts.seed,
      logProb,
      onStep: (s, n, acc) => opts.onStep?.(s, n, acc, evaluations),
    });
    const kept = res.chain.slice(burn);
    const keptLp = res.logp.slice(burn);
    const total = kept.length * walkers;
    const samples = Math.min(opts.samples ?? 300, total);
    const thin = Math.max(1, Math.floor(total / samples));
    const draws: number[][] = [];
    const ll: number[] = [];
    // step-major flattening, every thin-th draw: spreads the kept draws over all walkers and steps
    for (let k = 0; k < total && draws.length < samples; k += thin) {
      const s = Math.floor(k / walkers);
      const w = k % walkers;
      draws.push(params.map((p, i) => fromUnit(p, kept[s][w][i])));
      ll.push(keptLp[s][w]);
    }
    const diag: Posterior["diagnostics"]["parameters"] = {};
    params.forEach((p, i) => {
      const g = diagnose(kept, i);
      const vals = kept.flatMap((step) => step.map((u) => fromUnit(p, u[i])));
      const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
      const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, vals.length - 1));
      const fin = (x: number) => (Number.isFinite(x) ? x : null);
      diag[p.id] = {
        rhat: fin(g.rhat),
        tau: fin(g.tau),
        ess: fin(g.ess),
        mean,
        sd,
        p5: quantile(vals, 0.05),
        p50: quantile(vals, 0.5),
        p95: quantile(vals, 0.95),
      };
    });
    const git = gitInfo(dirname(targetsPath));
    return {
      schema: "exomi-posterior/1",
      provenance: {
        created: new Date().toISOString(),
        git_commit: git.commit,
        git_dirty: git.dirty,
        seed: opts.seed,
        sampler: {
          method:
            "affine-invariant ensemble, Goodman-Weare stretch move (as emcee), in unit-cube coordinates",
          walkers,
          steps: opts.steps,
          burn,
          thin,
          stretch_a: 2,
          init: `ball of width ${width} (unit-cube coordinates) around the nominal values of the data files`,
        },
        likelihood:
          "Gaussian per observed target (mean, sd of data/calibration.yaml); soft Gaussian wall outside bound targets",
        targets_file: basename(targetsPath),
        targets_sha256: targetsFingerprint(loadCalibrationTargets(targetsPath)),
        data_sha256: dataHashes(`${dirname(targetsPath)}/`),
        evaluations,
        wall_seconds: (Date.now() - started) / 1000,
        workers: evaluator.workers,
      },
      parameters: params.map((p) => ({ ...p, prior: p.log ? "log-uniform" : "uniform" })),
      draws,
      log_likelihood: ll,
      diagnostics: { acceptance: res.acceptance, parameters: diag },
    };
  } finally {
    if (!opts.evaluator) await evaluator.close();
  }
}
