import { rngFor } from "./sampling.ts";

/**
 * Affine-invariant ensemble sampler (Goodman & Weare 2010, the "stretch move" of emcee, Foreman-Mackey
 * et al. 2013), seeded. Why this one: it needs no tuned proposal covariance (the ensemble adapts to
 * the posterior's scale and correlations, which differ by orders of magnitude between our
 * parameters), and each half of the ensemble moves in one batch of independent likelihood evaluations,
 * which a worker pool evaluates in parallel.
 *
 * The target density is given as a batch function, so the caller decides how to evaluate (threads or
 * inline). Random numbers come from rngFor(seed, step, half): the chain is a function of the seed and
 * of the log-densities alone.
 */
export interface EnsembleOptions {
  /** initial positions, one per walker (at least 2 × dimension recommended, an even number) */
  init: Float64Array[];
  steps: number;
  seed: number;
  /** stretch scale a (emcee default 2) */
  a?: number;
  /** log-density of a batch of points (−∞ outside the support) */
  logProb: (points: Float64Array[]) => Promise<number[]> | number[];
  onStep?: (step: number, steps: number, acceptance: number) => void;
}

export interface EnsembleResult {
  /** chain[step][walker] = position after that step */
  chain: Float64Array[][];
  /** logp[step][walker] */
  logp: number[][];
  /** accepted moves / proposed moves, over the whole run */
  acceptance: number;
  evaluations: number;
}

export async function runEnsemble(opts: EnsembleOptions): Promise<EnsembleResult> {
  const W = opts.init.length;
  const d = opts.init[0]?.length ?? 0;
  if (W < 4 || W % 2 !== 0) throw new Error(`the ensemble needs an even number >= 4 of walkers, got ${W}`);
  const a = opts.a ?? 2;
  const pos = opts.init.map((x) => Float64Array.from(x));
  const lp = [...(await opts.logProb(pos))];
  let evaluations = W;
  if (lp.every((v) => !Number.isFinite(v))) throw new Error("every initial walker has zero density");
  const chain: Float64Array[][] = [];
  const logp: number[][] = [];
  let accepted = 0;
  let proposed = 0;
  const half = W / 2;
  for (let step = 0; step < opts.steps; step++) {
    for (let h = 0; h < 2; h++) {
      // walkers of this half move using the (fixed) positions of the other half
      const rng = rngFor(opts.seed, step, h);
      const movers = Array.from({ length: half }, (_, i) => h * half + i);
      const others = Array.from({ length: half }, (_, i) => (1 - h) * half + i);
      const zs: number[] = [];
      const props = movers.map((k) => {
        // z ~ g(z) ∝ 1/√z on [1/a, a]
        const z = (1 + (a - 1) * rng.next()) ** 2 / a;
        const j = others[Math.floor(rng.next() * half)];
        zs.push(z);
        const y = new Float64Array(d);
        for (let i = 0; i < d; i++) y[i] = pos[j][i] + z * (pos[k][i] - pos[j][i]);
        return y;
      });
      const us = movers.map(() => rng.next());
      const lpNew = await opts.logProb(props);
      evaluations += props.length;
      movers.forEach((k, m) => {
        proposed++;
        const q = (d - 1) * Math.log(zs[m]) + lpNew[m] - lp[k];
        if (Number.isFinite(lpNew[m]) && Math.log(us[m]) < q) {
          pos[k] = props[m];
          lp[k] = lpNew[m];
          accepted++;
        }
      });
    }
    chain.push(pos.map((x) => Float64Array.from(x)));
    logp.push([...lp]);
    opts.onStep?.(step + 1, opts.steps, accepted / proposed);
  }
  return { chain, logp, acceptance: proposed > 0 ? accepted / proposed : 0, evaluations };
}

/**
 * Split-R̂ (Gelman et al., BDA3 §11.4) of one parameter, walkers as chains (each split in halves).
 * Walkers of an ensemble are not independent chains, so this is a convergence check of the same
 * kind emcee users apply, not a proof; near 1 (< 1.1) is the usual bar.
 */
export function splitRhat(chains: ArrayLike<number>[]): number {
  const halves: number[][] = [];
  for (const c of chains) {
    const n = Math.floor(c.length / 2);
    if (n < 2) continue;
    halves.push(Array.from({ length: n }, (_, i) => c[i]));
    halves.push(Array.from({ length: n }, (_, i) => c[c.length - n + i]));
  }
  const m = halves.length;
  if (m < 2) return Number.NaN;
  const n = halves[0].length;
  const means = halves.map((h) => h.reduce((s, v) => s + v, 0) / n);
  const grand = means.reduce((s, v) => s + v, 0) / m;
  const B = (n / (m - 1)) * means.reduce((s, v) => s + (v - grand) ** 2, 0);
  const W = halves.reduce((s, h, i) => s + h.reduce((t, v) => t + (v - means[i]) ** 2, 0) / (n - 1), 0) / m;
  if (W === 0) return B === 0 ? 1 : Number.POSITIVE_INFINITY;
  const varPlus = ((n - 1) / n) * W + B / n;
  return Math.sqrt(varPlus / W);
}

/**
 * Integrated autocorrelation time of one parameter, emcee's estimator: the autocorrelation function
 * averaged over walkers, summed up to Sokal's automatic window (smallest M with M ≥ c·τ(M), c = 5).
 */
export function autocorrTime(chains: ArrayLike<number>[], c = 5): number {
  const n = Math.min(...chains.map((x) => x.length));
  if (!(n >= 4)) return Number.NaN;
  const rho = new Float64Array(n);
  let used = 0;
  for (const x of chains) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
    let v0 = 0;
    for (let i = 0; i < n; i++) v0 += (x[i] - mean) ** 2;
    if (v0 === 0) continue;
    used++;
    // direct O(n²) sum: chains here are at most a few thousand steps
    for (let lag = 0; lag < n; lag++) {
      let s = 0;
      for (let i = 0; i + lag < n; i++) s += (x[i] - mean) * (x[i + lag] - mean);
      rho[lag] += s / v0;
    }
  }
  if (used === 0) return Number.NaN;
  let tau = 1;
  for (let M = 1; M < n; M++) {
    tau += (2 * rho[M]) / used;
    if (M >= c * tau) return tau;
  }
  return tau;
}

export interface ParameterDiagnostics {
  rhat: number;
  tau: number;
  ess: number;
}

/** R̂, autocorrelation time and effective sample size of dimension i over the kept steps. */
export function diagnose(chain: Float64Array[][], i: number): ParameterDiagnostics {
  const W = chain[0]?.length ?? 0;
  const perWalker = Array.from({ length: W }, (_, w) => chain.map((step) => step[w][i]));
  const tau = autocorrTime(perWalker);
  return {
    rhat: splitRhat(perWalker),
    tau,
    ess: (chain.length * W) / Math.max(1, tau),
  };
}
