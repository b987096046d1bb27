import { COMPARTMENT_INDEX, type CompiledModel } from "./model.ts";
import { GAUSS } from "./quadrature.ts";
import type { SeriesExtras } from "./series.ts";

/** Extra integrated quantities stored after the compartments in each state / table row. */
export const AUX = { exposure: 0, liverSpleenUptake: 1 } as const;
export const N_AUX = 2;

/** Taylor terms are added until the bound on the next one is below this fraction of the sum. */
const TAYLOR_TOL = 1e-16;
/** Substep so that c·h ≤ this: then ≤ ~19 Taylor terms reach TAYLOR_TOL. */
const MAX_UNIFORM_STEP = 1;
/** Integrals by Gauss–Legendre on the rare long-step path (6 points: error ~ (c·τ)^12 / 1e14). */
const GAUSS_FOR_INTEGRALS = GAUSS[5];

/**
 * The transfer system frozen at one instant, as a sparse generator A of the augmented state
 * (compartments, then the aux integrals exposure = ∫ infarct + infarct_cells and liver/spleen uptake):
 * dx/dt = A x. It keeps its own copy of the rates, so later `setTime` calls on the model leave it alone.
 *
 * Exponentials are taken by uniformization: exp(Aτ) = e^{-cτ} exp((A + cI)τ) with c the largest
 * outflow rate. A + cI has no negative entry, so the Taylor series of exp((A + cI)τ) is a sum of
 * non-negative terms: no cancellation, and propagators are exactly zero where no transfer path exists
 * and positive elsewhere. That is what keeps the solution non-negative and its sparsity predictable.
 */
export class Generator {
  readonly width: number;
  readonly n: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** rates (1/h) at the loaded time */
  readonly k: Float64Array;
  /** aux feeds: x[feedRow] accumulates feedCoef · x[feedCol] */
  readonly feedCol: Int32Array;
  readonly feedRow: Int32Array;
  readonly feedCoef: Float64Array;
  /** total outflow rate of each state at the loaded time */
  readonly outflow: Float64Array;
  /** the uniformization constant: max outflow */
  c = 0;
  /** ‖A + cI‖₁ (largest column sum) and ‖Aᵀ + cI‖₁ (largest row sum); A + cI has no negative entry */
  private norm = 0;
  private normT = 0;
  private readonly liverSpleenTransfer: number;
  private readonly colSum: Float64Array;
  private readonly rowSum: Float64Array;
  private readonly termA: Float64Array;
  private readonly termB: Float64Array;
  private readonly acc: Float64Array;
  private readonly matA: Float64Array;
  private readonly matB: Float64Array;
  private readonly matAcc: Float64Array;

  constructor(private readonly model: CompiledModel) {
    this.n = model.names.length;
    this.width = this.n + N_AUX;
    this.from = model.from;
    this.to = model.to;
    this.k = new Float64Array(model.rate.length);
    const I = COMPARTMENT_INDEX;
    this.feedCol = Int32Array.of(I.infarct, I.infarct_cells, I.blood);
    this.feedRow = Int32Array.of(
      this.n + AUX.exposure,
      this.n + AUX.exposure,
      this.n + AUX.liverSpleenUptake,
    );
    this.feedCoef = Float64Array.of(1, 1, 0);
    this.liverSpleenTransfer = model.liverSpleenTransfer;
    this.outflow = new Float64Array(this.width);
    this.colSum = new Float64Array(this.width);
    this.rowSum = new Float64Array(this.width);
    this.termA = new Float64Array(this.width);
    this.termB = new Float64Array(this.width);
    this.acc = new Float64Array(this.width);
    this.matA = new Float64Array(this.width * this.width);
    this.matB = new Float64Array(this.width * this.width);
    this.matAcc = new Float64Array(this.width * this.width);
  }

  /** Freeze the rates at time t. */
  load(t: number): void {
    this.model.setTime(t);
    this.k.set(this.model.rate);
    this.update(1);
  }

  /**
   * Freeze w1·rates(t1) + w2·rates(t2) (the commutator-free Magnus steps mix the rates at two Gauss
   * times; with w1 + w2 = 1/2 and rates that vary little the mix stays non-negative).
   */
  loadMix(t1: number, w1: number, t2: number, w2: number): void {
    const k = this.k;
    this.model.setTime(t1);
    for (let j = 0; j < k.length; j++) k[j] = w1 * this.model.rate[j];
    this.model.setTime(t2);
    for (let j = 0; j < k.length; j++) k[j] = Math.max(0, k[j] + w2 * this.model.rate[j]);
    this.update(w1 + w2);
  }

  /** Feeds and outflows for the loaded rates; `scale` weighs the time-independent exposure feeds. */
  private update(scale: number): void {
    this.feedCoef[0] = scale;
    this.feedCoef[1] = scale;
    this.feedCoef[2] = this.k[this.liverSpleenTransfer];
    const out = this.outflow;
    out.fill(0);
    for (let j = 0; j < this.k.length; j++) out[this.from[j]] += this.k[j];
    let c = 0;
    for (let i = 0; i < this.width; i++) if (out[i] > c) c = out[i];
    this.c = c;
    // column j of A + cI sums to c plus the aux feeds out of j (transfers conserve mass); row i to
    // c − outflow_i plus everything flowing into i
    const col = this.colSum;
    const row = this.rowSum;
    col.fill(c);
    for (let i = 0; i < this.width; i++) row[i] = c - out[i];
    for (let j = 0; j < this.k.length; j++) row[this.to[j]] += this.k[j];
    for (let a = 0; a < this.feedCol.length; a++) {
      col[this.feedCol[a]] += this.feedCoef[a];
      row[this.feedRow[a]] += this.feedCoef[a];
    }
    this.norm = 0;
    this.normT = 0;
    for (let i = 0; i < this.width; i++) {
      if (col[i] > this.norm) this.norm = col[i];
      if (row[i] > this.normT) this.normT = row[i];
    }
  }

  /**
   * out = exp(Aτ) x (or exp(Aᵀτ) x with `transpose`), by uniformized Taylor series; out may be x.
   * The number of terms follows from the norm of A + cI alone ((‖A + cI‖₁ h)^m / m! ≤ TAYLOR_TOL bounds
   * term m relative to ‖x‖₁), not from x: each entry of out then depends only on the entries of x that
   * can reach it, so a sweep that does not track some states (the first sweep, integrate.ts) computes
   * the others exactly as the full sweep does. No allocation.
   */
  expmv(x: Float64Array, tau: number, out: Float64Array, transpose = false): void {
    const { width: w, from, to, k, outflow, c, feedCol, feedRow, feedCoef } = this;
    const nT = k.length;
    const nF = feedCol.length;
    const src = transpose ? to : from;
    const dst = transpose ? from : to;
    const fSrc = transpose ? feedRow : feedCol;
    const fDst = transpose ? feedCol : feedRow;
    const steps = Math.max(1, Math.ceil((c * tau) / MAX_UNIFORM_STEP));
    const h = tau / steps;
    const decay = Math.exp(-c * h);
    const terms = taylorTerms((transpose ? this.normT : this.norm) * h);
    let term = this.termA;
    let next = this.termB;
    const acc = this.acc;
    if (out !== x) out.set(x);
    for (let s = 0; s < steps; s++) {
      term.set(out);
      acc.set(out);
      for (let m = 1; m <= terms; m++) {
        const f = h / m;
        for (let i = 0; i < w; i++) next[i] = (c - outflow[i]) * f * term[i];
        for (let j = 0; j < nT; j++) next[dst[j]] += k[j] * f * term[src[j]];
        for (let a = 0; a < nF; a++) next[fDst[a]] += feedCoef[a] * f * term[fSrc[a]];
        for (let i = 0; i < w; i++) acc[i] += next[i];
        const swap = term;
        term = next;
        next = swap;
      }
      for (let i = 0; i < w; i++) out[i] = acc[i] * decay;
    }
  }

  /**
   * out = exp(Aτ) as a dense row-major width × width matrix, by the same uniformized series applied to
   * all columns at once (row operations on contiguous memory), plus what `extra` asks for from the same
   * terms T_m = ((A + cI)τ)^m / m! (see SeriesExtras). States without outflow keep exactly 1.
   * `rows`: compute only the rows i with rows[i] = 1 (a set closed under "can reach", as
   * upstreamOf gives), the others are zero except on the diagonal of states without outflow. As in
   * expmv the number of terms depends on A alone, so those rows are the same to the last bit.
   */
  expm(tau: number, out: Float64Array, extra?: SeriesExtras, rows?: Uint8Array): void {
    const { width: w, from, to, k, outflow, c, feedCol, feedRow, feedCoef } = this;
    const nT = k.length;
    const nF = feedCol.length;
    const ww = w * w;
    const steps = Math.max(1, Math.ceil((c * tau) / MAX_UNIFORM_STEP));
    if (steps > 1 && extra) {
      // long steps (very long runs only): the extras come from separate products
      extra.tau = tau;
      this.expm(tau, out, undefined, rows);
      this.extrasByProducts(extra);
      return;
    }
    const h = tau / steps;
    const decay = Math.exp(-c * h);
    const terms = taylorTerms(this.norm * h);
    let term = this.matA;
    let next = this.matB;
    const acc = this.matAcc;
    term.fill(0);
    next.fill(0);
    for (let i = 0; i < w; i++) if (!rows || rows[i] === 1) term[i * w + i] = 1;
    acc.set(term);
    if (extra) extra.begin(c, h, term, w);
    for (let m = 1; m <= terms; m++) {
      const f = h / m;
      for (let i = 0; i < w; i++) {
        if (rows && rows[i] === 0) continue;
        const d = (c - outflow[i]) * f;
        const o = i * w;
        for (let j = 0; j < w; j++) next[o + j] = d * term[o + j];
      }
      for (let t = 0; t < nT; t++) {
        const kt = k[t] * f;
        if (kt === 0 || (rows && rows[to[t]] === 0)) continue;
        const oi = to[t] * w;
        const oj = from[t] * w;
        for (let j = 0; j < w; j++) next[oi + j] += kt * term[oj + j];
      }
      for (let a = 0; a < nF; a++) {
        const ka = feedCoef[a] * f;
        if (ka === 0 || (rows && rows[feedRow[a]] === 0)) continue;
        const oi = feedRow[a] * w;
        const oj = feedCol[a] * w;
        for (let j = 0; j < w; j++) next[oi + j] += ka * term[oj + j];
      }
      for (let i = 0; i < ww; i++) acc[i] += next[i];
      if (extra) extra.add(m, next, w);
      const swap = term;
      term = next;
      next = swap;
    }
    for (let i = 0; i < ww; i++) acc[i] *= decay;
    // more than one uniformization step (long rows): out = acc^steps
    out.set(acc);
    for (let s = 1; s < steps; s++) {
      next.set(out);
      for (let i = 0; i < w; i++) {
        if (rows && rows[i] === 0) continue;
        for (let j = 0; j < w; j++) {
          let sum = 0;
          for (let l = 0; l < w; l++) sum += acc[i * w + l] * next[l * w + j];
          out[i * w + j] = sum;
        }
      }
    }
    for (let j = 0; j < w; j++) {
      if (outflow[j] !== 0) continue;
      let feeds = false;
      for (let a = 0; a < nF; a++) if (feedCol[a] === j && feedCoef[a] !== 0) feeds = true;
      if (feeds) continue;
      for (let i = 0; i < w; i++) out[i * w + j] = i === j ? 1 : 0;
    }
    if (extra) extra.finish();
  }

  /** The extras by exponential–vector products (and Gauss–Legendre for the integrals). */
  private extrasByProducts(extra: SeriesExtras): void {
    const w = this.width;
    const v = new Float64Array(w);
    for (const r of extra.rows) {
      v.fill(0);
      v[r.state] = 1;
      this.expmv(v, r.time, r.out, true);
    }
    for (const cl of extra.columns) {
      extra.vector(cl.vector, v);
      this.expmv(v, cl.time, cl.out);
    }
    const q = GAUSS_FOR_INTEGRALS;
    const tmp = new Float64Array(w);
    for (const ig of extra.integrals) {
      ig.out.fill(0);
      for (let p = 0; p < q.nodes.length; p++) {
        extra.vector(ig.vector, v);
        this.expmv(v, 0.5 * extra.tau * (1 + q.nodes[p]), tmp);
        const wgt = 0.5 * extra.tau * q.weights[p];
        for (let i = 0; i < w; i++) ig.out[i] += wgt * tmp[i];
      }
    }
  }

  /**
   * upstream[i] = 1 when state i can pass mass (or feed an aux integral) to one of the targets through
   * the transfers, whatever their current rates; the targets included.
   */
  upstreamOf(targets: readonly number[]): Uint8Array {
    const upstream = new Uint8Array(this.width);
    for (const i of targets) upstream[i] = 1;
    const edges: [Int32Array, Int32Array][] = [
      [this.from, this.to],
      [this.feedCol, this.feedRow],
    ];
    for (let changed = true; changed; ) {
      changed = false;
      for (const [src, dst] of edges)
        for (let e = 0; e < src.length; e++)
          if (upstream[dst[e]] === 1 && upstream[src[e]] === 0) {
            upstream[src[e]] = 1;
            changed = true;
          }
    }
    return upstream;
  }

  /** reach[i·width + j] = 1 when state i can receive mass (or an aux integral) from state j. */
  reachability(reach: Uint8Array): void {
    const w = this.width;
    reach.fill(0);
    for (let i = 0; i < w; i++) reach[i * w + i] = 1;
    const edge = (a: number, b: number) => {
      // a → b: everything that reaches a now reaches b
      for (let j = 0; j < w; j++) if (reach[a * w + j]) reach[b * w + j] = 1;
    };
    // iterate to a fixed point (the graph is small)
    for (let pass = 0; pass < w; pass++) {
      let before = 0;
      for (let i = 0; i < reach.length; i++) before += reach[i];
      for (let j = 0; j < this.k.length; j++) if (this.k[j] > 0) edge(this.from[j], this.to[j]);
      for (let a = 0; a < this.feedCol.length; a++)
        if (this.feedCoef[a] > 0) edge(this.feedCol[a], this.feedRow[a]);
      let after = 0;
      for (let i = 0; i < reach.length; i++) after += reach[i];
      if (after === before) break;
    }
  }
}

/**
 * Terms to take of the Taylor series of exp(M), M ≥ 0 entrywise with ‖M‖₁ ≤ z: up to the first m whose
 * bound z^m / m! (relative to the identity term, which every column of the sum contains) is below
 * TAYLOR_TOL.
 */
function taylorTerms(z: number): number {
  let terms = 1;
  for (let bound = z; bound > TAYLOR_TOL && terms < 200; bound *= z / ++terms);
  return terms;
}
