import { InputError } from "../core/errors.ts";
import type { Scenario } from "../scenario/schema.ts";
import { fromUnit, type UncertainParameter, uncertainParameters, withParameters } from "./member.ts";
import { createEvaluator, type Evaluator, evaluateMany } from "./pool.ts";
import { morrisTrajectories } from "./sampling.ts";

/**
 * Global sensitivity by Morris screening (elementary effects, Morris 1991; μ* of Campolongo et al.
 * 2007): r one-at-a-time trajectories through the documented ranges of every uncertain parameter.
 * μ* (mean |EE|) ranks influence; σ (sd of EE) flags nonlinearity or interactions. Effects are per
 * unit of the normalized range (the whole documented range = 1), in the readout's units.
 */

export interface GsaOptions {
  scenario: Scenario;
  readout: string;
  at: number;
  /** number of trajectories */
  r: number;
  seed: number;
  /** restrict to these parameter ids (default: all uncertain parameters of the scenario) */
  only?: string[];
  levels?: number;
  workers?: number;
  evaluator?: Evaluator;
  onProgress?: (done: number, total: number) => void;
}

export interface GsaRow {
  id: string;
  kind: UncertainParameter["kind"];
  range: [number, number];
  muStar: number;
  mu: number;
  sigma: number;
  source: string;
}

export interface GsaResult {
  readout: string;
  at: number;
  r: number;
  evaluations: number;
  nominalRange: [number, number];
  rows: GsaRow[];
}

export function selectParameters(scenario: Scenario, only?: string[]): UncertainParameter[] {
  const all = uncertainParameters(scenario);
  if (!only || only.length === 0) return all;
  return only.map((id) => {
    const p = all.find((x) => x.id === id);
    if (!p)
      throw new InputError(
        "--params",
        id,
        all.map((x) => x.id),
        "not an uncertain parameter of this scenario",
      );
    return p;
  });
}

export async function runMorris(opts: GsaOptions): Promise<GsaResult> {
  if (!Number.isInteger(opts.r) || opts.r < 2 || opts.r > 1000)
    throw new InputError("--r", opts.r, [], "an integer number of trajectories from 2 to 1000");
  if (!(opts.at >= 0 && opts.at <= opts.scenario.duration_h))
    throw new InputError("--at", opts.at, [], `a time in [0, ${opts.scenario.duration_h}] h`);
  const params = selectParameters(opts.scenario, opts.only);
  const d = params.length;
  const traj = morrisTrajectories(opts.r, d, opts.seed, opts.levels ?? 4);
  const evaluator = opts.evaluator ?? createEvaluator(opts.workers);
  try {
    const y = await evaluateMany(
      evaluator,
      opts.r * (d + 1),
      (j) => {
        const u = traj[Math.floor(j / (d + 1))].points[j % (d + 1)];
        return withParameters(
          { scenario: opts.scenario },
          params,
          Array.from(u, (x, k) => fromUnit(params[k], x)),
        );
      },
      [opts.readout],
      [opts.at],
      // whole trajectories per chunk: consecutive tissue-only steps reuse the network solution
      { chunkSize: d + 1, onProgress: opts.onProgress },
    );
    const ee: number[][] = params.map(() => []);
    traj.forEach((t, ti) => {
      for (let k = 0; k < d; k++) {
        const a = y[ti * (d + 1) + k];
        const b = y[ti * (d + 1) + k + 1];
        ee[t.factor[k]].push((b - a) / t.step[k]);
      }
    });
    const rows = params.map((p, i) => {
      const e = ee[i];
      const mu = e.reduce((s, v) => s + v, 0) / e.length;
      const muStar = e.reduce((s, v) => s + Math.abs(v), 0) / e.length;
      const sigma = Math.sqrt(e.reduce((s, v) => s + (v - mu) ** 2, 0) / Math.max(1, e.length - 1));
      return {
        id: p.id,
        kind: p.kind,
        range: [p.lo, p.hi] as [number, number],
        muStar,
        mu,
        sigma,
        source: p.source,
      };
    });
    rows.sort((a, b) => b.muStar - a.muStar);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of y) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return {
      readout: opts.readout,
      at: opts.at,
      r: opts.r,
      evaluations: y.length,
      nominalRange: [lo, hi],
      rows,
    };
  } finally {
    if (!opts.evaluator) await evaluator.close();
  }
}
