/**
 * Seeded random numbers and sampling designs for cohorts, sensitivity analysis and the optimizer.
 *
 * Every stream is addressed by (seed, index, stream): a member's numbers depend on nothing else, so a
 * cohort gives the same members whatever the chunking or the number of workers.
 */

/** SplitMix32-style integer hash: decorrelates nearby seeds and indices. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** standard normal (Box–Muller) */
  normal(): number;
}

/** Mulberry32 generator from a 32-bit state: small, fast and good enough for Monte Carlo. */
export function mulberry32(state: number): Rng {
  let a = state >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      const u = Math.max(next(), 1e-300);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** The random stream of one member (or trajectory, or candidate): a function of its address only. */
export function rngFor(seed: number, index: number, stream = 0): Rng {
  const s = mix32(mix32(mix32(seed >>> 0) ^ (index >>> 0)) ^ Math.imul(stream + 1, 0x27d4eb2d));
  // fold the high part of large indices in too
  return mulberry32(mix32(s ^ Math.floor(index / 4294967296)));
}

/** Fisher–Yates permutation of 0..n-1 from a seeded stream. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * Latin hypercube on [0,1)^d: each dimension has exactly one point in each of n strata. Rows are
 * points. The stratum order comes from (seed, dimension); the jitter from (seed, point).
 */
export function latinHypercube(n: number, d: number, seed: number): Float64Array[] {
  const perms = Array.from({ length: d }, (_, j) => permutation(n, rngFor(seed, j, 1)));
  return Array.from({ length: n }, (_, i) => {
    const rng = rngFor(seed, i, 2);
    const row = new Float64Array(d);
    for (let j = 0; j < d; j++) row[j] = (perms[j][i] + rng.next()) / n;
    return row;
  });
}

/** Quantile (linear interpolation between order statistics) of an unsorted sample. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return Number.NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export interface Summary {
  median: number;
  p5: number;
  p95: number;
  mean: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const s = Float64Array.from(values).sort();
  const q = (p: number) => {
    const pos = p * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  let sum = 0;
  for (const v of s) sum += v;
  return { median: q(0.5), p5: q(0.05), p95: q(0.95), mean: sum / s.length };
}

/**
 * Morris trajectories (Morris 1991; the one-at-a-time design of Campolongo et al.): each trajectory
 * starts at a random grid point of a p-level grid on [0,1]^d and moves one factor at a time by
 * delta = p / (2(p−1)), in a random order. Returns r trajectories of d+1 points and, for each step,
 * which factor moved and in which direction.
 */
export interface MorrisTrajectory {
  points: Float64Array[];
  /** factor moved between points[k] and points[k+1] */
  factor: Int32Array;
  /** +delta or −delta */
  step: Float64Array;
}

export function morrisTrajectories(r: number, d: number, seed: number, levels = 4): MorrisTrajectory[] {
  const delta = levels / (2 * (levels - 1));
  const out: MorrisTrajectory[] = [];
  for (let t = 0; t < r; t++) {
    const rng = rngFor(seed, t, 3);
    // base point on the grid such that a move of +delta or -delta stays inside [0,1]
    const x = new Float64Array(d);
    for (let j = 0; j < d; j++) x[j] = Math.floor(rng.next() * levels) / (levels - 1);
    const order = permutation(d, rng);
    const points = [Float64Array.from(x)];
    const factor = new Int32Array(d);
    const step = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const j = order[k];
      const up = x[j] + delta <= 1 + 1e-12;
      const down = x[j] - delta >= -1e-12;
      const s = up && (!down || rng.next() < 0.5) ? delta : -delta;
      x[j] += s;
      factor[k] = j;
      step[k] = s;
      points.push(Float64Array.from(x));
    }
    out.push({ points, factor, step });
  }
  return out;
}
