import type { CompiledModel } from "./model.ts";
import { chebyshevNodes, vandermondeInverse } from "./quadrature.ts";

/**
 * Within a segment the varying rates change by at most this fraction end to end, so the deviation δ
 * from the frozen midpoint rates stays ≲ 15 %. The correction is first order in δ plus the leading
 * second-order term; against a converged reference the table then agrees to ≲ 3e-8 (cargo, exposure,
 * retention) and ≲ 2e-6 for any compartment value above 1e-6 of its peak (scratch comparison, README).
 */
export const SEGMENT_SPAN = 0.3;
/** Degree of the polynomial (in the segment's clock u) that represents the varying rates. */
export const DEGREE = 5;
/** The polynomial must match the rates to this fraction of their size, or the segment is shortened. */
const FIT_TOL = 1e-8;
/** Rates that change less than this (relative) over an interval are taken as constant there. */
const CONSTANT_TOL = 1e-14;

const NODES = chebyshevNodes(DEGREE);
const VINV = vandermondeInverse(NODES);
/** where the fit is checked besides the nodes (u = ±1 are the ends, where interpolation is worst) */
const CHECK_U = [-0.999, 0.999, 0.41];

/**
 * The smooth time dependence of the varying rates (model.varying) within a segment: how long a segment
 * may be (the rates stay within SEGMENT_SPAN and a polynomial of degree DEGREE fits them to FIT_TOL),
 * and that polynomial in the segment's clock u.
 */
export class RateFit {
  /** the fitted rates of the current segment: DEGREE + 1 coefficients (ascending powers of u) per transfer */
  readonly coef: Float64Array;
  private readonly varying: Int32Array;
  private readonly rateAt0: Float64Array;
  private readonly samples: Float64Array;
  /**
   * The segment's clock: u = (v(t) − vc)/vh ∈ [−1, 1] with v = exp(−λt) (λ = model.windowRate) when the
   * window decays noticeably over the segment, else v = t. The varying rates are nearly polynomial in
   * exp(−λt), so segments are limited by SEGMENT_SPAN rather than by the fit.
   */
  private lambda = 0;
  private vc = 0;
  private vh = 1;

  constructor(
    private readonly model: CompiledModel,
    private readonly dt: number,
    private readonly timeOf: (row: number) => number,
  ) {
    this.varying = model.varying;
    this.rateAt0 = new Float64Array(this.varying.length);
    this.samples = new Float64Array(this.varying.length * (DEGREE + 1));
    this.coef = new Float64Array(this.varying.length * (DEGREE + 1));
  }

  /** The clock u of the current segment at time t. */
  u(t: number): number {
    return (this.clock(t) - this.vc) / this.vh;
  }

  /** [α, β] with u(t + dt) = α u(t) + β for the current segment. */
  recurrence(out: Float64Array, at: number): void {
    if (this.lambda > 0) {
      const qm1 = Math.expm1(-this.lambda * this.dt);
      out[at] = 1 + qm1;
      out[at + 1] = (qm1 * this.vc) / this.vh;
    } else {
      out[at] = 1;
      out[at + 1] = this.dt / this.vh;
    }
  }

  /** Whether the varying rates are the same throughout [t0, t1): then one frozen generator is exact. */
  constant(t0: number, t1: number): boolean {
    const k = this.varying.length;
    if (k === 0) return true;
    const a = this.rateAt0;
    this.model.setTime(t0);
    for (let i = 0; i < k; i++) a[i] = this.model.rate[this.varying[i]];
    for (const f of [0.5, 1]) {
      this.model.setTime(this.leftOf(t0 + f * (t1 - t0)));
      for (let i = 0; i < k; i++) {
        const r = this.model.rate[this.varying[i]];
        if (Math.abs(r - a[i]) > CONSTANT_TOL * Math.max(Math.abs(r), Math.abs(a[i]))) return false;
      }
    }
    return true;
  }

  /** Just before t: rates are right-continuous at switches, and a segment's end takes the left limit. */
  private leftOf(t: number): number {
    return t - 1e-7 * this.dt;
  }

  /**
   * Number of steps of the next segment from row s (at most to row `last`): the most that keeps the
   * varying rates within SEGMENT_SPAN (doubling, then bisection to 1/8), shortened while the δ polynomial
   * misses FIT_TOL. Leaves the fitted polynomial in `coef`.
   */
  length(s: number, last: number): number {
    const remaining = last - s + 1;
    const t0 = this.timeOf(s - 1);
    const a = this.rateAt0;
    const k = this.varying.length;
    this.model.setTime(t0);
    for (let i = 0; i < k; i++) a[i] = this.model.rate[this.varying[i]];
    const withinSpan = (steps: number): boolean => {
      this.model.setTime(this.leftOf(t0 + steps * this.dt));
      for (let i = 0; i < k; i++) {
        const r = this.model.rate[this.varying[i]];
        if (Math.abs(r - a[i]) > SEGMENT_SPAN * Math.max(Math.abs(r), Math.abs(a[i]))) return false;
      }
      return true;
    };
    let good = 1;
    let bad = remaining + 1;
    for (let c = 2; good < remaining; c *= 2) {
      const cand = Math.min(c, remaining);
      if (!withinSpan(cand)) {
        bad = cand;
        break;
      }
      good = cand;
    }
    while (bad - good > Math.max(1, good >> 3)) {
      const mid = (good + bad) >> 1;
      if (withinSpan(mid)) good = mid;
      else bad = mid;
    }
    let m = good;
    while (m > 1 && !this.fit(t0, m * this.dt)) m = Math.max(1, Math.floor(m * 0.7));
    if (m === 1) this.fit(t0, this.dt);
    return m;
  }

  private setClock(t0: number, len: number): void {
    const lambda = this.model.windowRate;
    this.lambda = lambda * len > 1e-3 ? lambda : 0;
    const va = this.clock(t0);
    const vb = this.clock(t0 + len);
    this.vc = 0.5 * (va + vb);
    this.vh = 0.5 * (vb - va);
  }

  private clock(t: number): number {
    return this.lambda > 0 ? Math.exp(-this.lambda * t) : t;
  }

  /** The time where the segment's clock reads u. */
  private timeAt(u: number): number {
    const v = this.vc + u * this.vh;
    return this.lambda > 0 ? -Math.log(v) / this.lambda : v;
  }

  /** Interpolate the varying rates on [t0, t0 + len] in the clock u; true when the check points agree. */
  private fit(t0: number, len: number): boolean {
    const k = this.varying.length;
    const d1 = DEGREE + 1;
    const rate = this.model.rate;
    this.setClock(t0, len);
    for (let j = 0; j < d1; j++) {
      this.model.setTime(this.timeAt(NODES[j]));
      for (let i = 0; i < k; i++) this.samples[i * d1 + j] = rate[this.varying[i]];
    }
    for (let i = 0; i < k; i++) {
      for (let d = 0; d < d1; d++) {
        let c = 0;
        for (let j = 0; j < d1; j++) c += VINV[d * d1 + j] * this.samples[i * d1 + j];
        this.coef[i * d1 + d] = c;
      }
    }
    for (const u of CHECK_U) {
      this.model.setTime(this.timeAt(u));
      for (let i = 0; i < k; i++) {
        const r = rate[this.varying[i]];
        let p = 0;
        for (let d = DEGREE; d >= 0; d--) p = p * u + this.coef[i * d1 + d];
        if (Math.abs(p - r) > FIT_TOL * Math.max(Math.abs(r), Math.abs(this.coef[i * d1]))) return false;
      }
    }
    return true;
  }
}
