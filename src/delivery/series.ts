/** A vector u given by its non-zero entries. */
export interface SparseVector {
  index: number[];
  value: number[];
}

/**
 * Quantities taken from the uniformized series of one exp(Aτ), by weighting its terms
 * T_m = ((A + cI)τ)^m / m!:  exp(As) = e^{−cs} Σ_m (s/τ)^m T_m  (s ≤ τ), and
 * ∫₀^τ exp(As) ds = Σ_m ω_m T_m with ω_m = ∫₀^τ e^{−cs} (s/τ)^m ds.
 * rows: e_stateᵀ exp(A·time); columns: exp(A·time) u; integrals: ∫₀^τ exp(As) u ds.
 */
export class SeriesExtras {
  rows: { state: number; time: number; out: Float64Array }[] = [];
  columns: { vector: SparseVector; time: number; out: Float64Array }[] = [];
  integrals: { vector: SparseVector; out: Float64Array }[] = [];
  tau = 0;
  private c = 0;
  /** running weights (s/τ)^m per row and column request */
  private rowPow: number[] = [];
  private colPow: number[] = [];

  clear(): void {
    this.rows.length = 0;
    this.columns.length = 0;
    this.integrals.length = 0;
  }

  vector(u: SparseVector, out: Float64Array): void {
    out.fill(0);
    for (let i = 0; i < u.index.length; i++) out[u.index[i]] += u.value[i];
  }

  begin(c: number, tau: number, identity: Float64Array, w: number): void {
    this.c = c;
    this.tau = tau;
    this.rowPow = this.rows.map(() => 1);
    this.colPow = this.columns.map(() => 1);
    for (const r of this.rows) r.out.fill(0);
    for (const cl of this.columns) cl.out.fill(0);
    for (const ig of this.integrals) ig.out.fill(0);
    this.add(0, identity, w);
  }

  /** Add term m (T_m, row-major w × w). */
  add(m: number, T: Float64Array, w: number): void {
    this.rows.forEach((r, q) => {
      const p = this.rowPow[q];
      const o = r.state * w;
      for (let j = 0; j < w; j++) r.out[j] += p * T[o + j];
      this.rowPow[q] = p * (r.time / this.tau);
    });
    this.columns.forEach((cl, q) => {
      const p = this.colPow[q];
      const { index, value } = cl.vector;
      for (let e = 0; e < index.length; e++) {
        const pv = p * value[e];
        const j = index[e];
        for (let i = 0; i < w; i++) cl.out[i] += pv * T[i * w + j];
      }
      this.colPow[q] = p * (cl.time / this.tau);
    });
    if (this.integrals.length > 0) {
      const om = integralWeight(this.c * this.tau, m) * this.tau;
      for (const ig of this.integrals) {
        const { index, value } = ig.vector;
        for (let e = 0; e < index.length; e++) {
          const pv = om * value[e];
          const j = index[e];
          for (let i = 0; i < w; i++) ig.out[i] += pv * T[i * w + j];
        }
      }
    }
  }

  /** Apply the e^{−cs} factors of the rows and columns. */
  finish(): void {
    for (const r of this.rows) {
      const d = Math.exp(-this.c * r.time);
      for (let j = 0; j < r.out.length; j++) r.out[j] *= d;
    }
    for (const cl of this.columns) {
      const d = Math.exp(-this.c * cl.time);
      for (let i = 0; i < cl.out.length; i++) cl.out[i] *= d;
    }
  }
}

/** ∫₀¹ e^{−a x} x^m dx = e^{−a} Σ_{i≥0} a^i / ((m+1)(m+2)…(m+i+1)), a positive series. */
function integralWeight(a: number, m: number): number {
  let term = 1 / (m + 1);
  let sum = term;
  for (let i = 1; i < 100; i++) {
    term *= a / (m + i + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return Math.exp(-a) * sum;
}
