import type { Generator } from "./generator.ts";
import { type Kernel, type KernelLayout, type KernelSpec, rowKernel } from "./kernel.ts";
import { COMPARTMENT_INDEX, type CompiledModel } from "./model.ts";
import { GAUSS, gaussPointsFor } from "./quadrature.ts";
import { DEGREE, RateFit, SEGMENT_SPAN } from "./ratefit.ts";
import type { RowStore } from "./rowstore.ts";
import { SeriesExtras, type SparseVector } from "./series.ts";

/** Bound on the relative Gauss quadrature error of the correction right after a breakpoint. */
const GAUSS_TOL = 1e-6;
/**
 * The one-point (midpoint) correction errs by ~ (k·dt)²/12 · SEGMENT_SPAN/2 times the share of the
 * source's content still in its fast transient after a bolus; the Gauss form is used until that share
 * has decayed below this bound divided by the rest.
 */
const TRANSIENT_TOL = 1e-8;

/**
 * One correction term: a varying transfer, or several out of the same source whose δ are proportional
 * (δ_j = c_j δ): then one term with u = Σ c_j u_j and σ weight Σ c_j does the work of several. Without
 * ischemia-gated ligands the infarct and remote uptake rates sum to a constant, so their two
 * corrections become one (δ_remote = −δ_infarct).
 */
interface Term {
  source: number;
  /** δ(u): polynomial coefficients, ascending powers */
  poly: Float64Array;
  vector: SparseVector;
  sigma: number;
}

/**
 * The first sweep of a run: the states the dense columns depend on (`computed`, 1 per state; `key`
 * names the set for the kernel cache), and the dense heart and cargo columns it fills.
 */
export interface DenseColumns {
  computed: Uint8Array;
  key: string;
  heart: Float64Array;
  cells: Float64Array;
}

const NO_COLUMN = new Float64Array(0);

/** δ polynomials this much smaller than the rate (relative) are zero: the rate is constant there. */
const ZERO_DELTA = 1e-15;
/** Two δ polynomials are proportional when they agree to this (relative) after scaling. */
const PROPORTIONAL_TOL = 1e-12;

/**
 * Fills the table rows between two breakpoints: splits them into segments, prepares each segment's
 * propagator P = exp(A₀ dt), its correction vectors and δ polynomials (see kernel.ts), and runs the
 * generated row kernel. Workspace is allocated once per integration. With `dense` (the first sweep of
 * a run) only the states `dense.computed` are computed, and the dense heart and cargo columns written.
 */
export class Segments {
  private readonly width: number;
  private readonly n: number;
  private readonly elim = COMPARTMENT_INDEX.eliminated;
  private readonly varying: Int32Array;
  /** dense P = exp(A₀ dt), row-major */
  private readonly P: Float64Array;
  private readonly reach: Uint8Array;
  /** per varying transfer: u_k = e_to − e_from (+ the liver/spleen uptake integral for that transfer) */
  private readonly transferVector: SparseVector[];
  private readonly extras = new SeriesExtras();
  /** kernels of the current interval (the pattern is fixed between breakpoints), by term shape */
  private readonly modes = new Map<string, Kernel>();
  private terms: Term[] = [];
  /** the reachability pattern as a string, built once per interval for the kernel cache key */
  private reachKey = "";
  private readonly buffers: Float64Array[] = [];
  private S = new Float64Array(256);
  private readonly rates: RateFit;

  constructor(
    private readonly model: CompiledModel,
    private readonly gen: Generator,
    private readonly store: RowStore,
    private readonly dt: number,
    private readonly timeOf: (row: number) => number,
    private readonly dense?: DenseColumns,
  ) {
    this.width = gen.width;
    this.n = gen.n;
    this.varying = model.varying;
    this.P = new Float64Array(this.width * this.width);
    this.reach = new Uint8Array(this.width * this.width);
    this.transferVector = Array.from(this.varying, (tr) => {
      const v: SparseVector = { index: [model.to[tr], model.from[tr]], value: [1, -1] };
      if (tr === model.liverSpleenTransfer) {
        v.index.push(this.n + 1);
        v.value.push(1);
      }
      return v;
    });
    this.rates = new RateFit(model, dt, timeOf);
  }

  /**
   * Compute rows first..last, each from its predecessor, with no breakpoint strictly inside;
   * `since` is the time of the last breakpoint (0 at the start), where a bolus may have begun.
   */
  run(first: number, last: number, since: number): void {
    const { gen, dt } = this;
    const t0 = this.timeOf(first - 1);
    const t1 = this.timeOf(last);
    // The on/off pattern of the transfers is fixed between breakpoints: one reachability per interval.
    gen.load(0.5 * (t0 + t1));
    gen.reachability(this.reach);
    this.modes.clear();
    this.reachKey = "";
    if (this.rates.constant(t0, t1)) {
      this.prepare(first, last - first + 1, 0, false);
      return;
    }
    // rows while a bolus given at `since` may still be in its fast transient use the Gauss form
    const fast = this.sourceRate();
    const z = fast * dt;
    const transient = z > 0 ? Math.max(0, Math.log((z * z * SEGMENT_SPAN) / (24 * TRANSIENT_TOL))) / fast : 0;
    const gaussPoints = gaussPointsFor(z, GAUSS_TOL);
    const smoothOnePoint = z <= 1;
    let lastTransient = first - 1;
    while (lastTransient < last && this.timeOf(lastTransient) < since + transient) lastTransient++;
    for (let s = first; s <= last; ) {
      const inTransient = s <= lastTransient;
      const end = inTransient ? lastTransient : last;
      const m = this.rates.length(s, end);
      const collapsed = !inTransient && smoothOnePoint;
      this.prepare(s, m, collapsed ? 1 : gaussPoints, collapsed);
      s += m;
    }
  }

  /** Largest total outflow rate of the states the varying transfers leave from (blood). */
  private sourceRate(): number {
    let k = 0;
    for (let i = 0; i < this.varying.length; i++)
      k = Math.max(k, this.gen.outflow[this.model.from[this.varying[i]]]);
    return k;
  }

  /** The kernel for the current interval's pattern and these terms (none: no correction). */
  private modeFor(gauss: number, collapsed: boolean, terms: Term[]): Kernel {
    let shape = `${this.dense ? this.dense.key : "all"}|${gauss}|${collapsed ? 1 : 0}`;
    for (const t of terms) shape += `|${t.source}:${t.vector.index.join(",")}`;
    let mode = this.modes.get(shape);
    if (!mode) {
      mode = rowKernel(this.key(shape), () => this.spec(terms, gauss));
      this.modes.set(shape, mode);
    }
    return mode;
  }

  /** The correction terms of the segment: δ = fitted − frozen rate, proportional ones merged. */
  private buildTerms(): Term[] {
    const d1 = DEGREE + 1;
    const terms: Term[] = [];
    for (let k = 0; k < this.varying.length; k++) {
      const tr = this.varying[k];
      const poly = this.rates.coef.slice(k * d1, (k + 1) * d1);
      poly[0] -= this.gen.k[tr];
      let scale = 0;
      for (let d = 0; d < d1; d++) scale = Math.max(scale, Math.abs(poly[d]));
      if (scale <= ZERO_DELTA * Math.abs(this.gen.k[tr])) continue;
      const source = this.model.from[tr];
      const u = this.transferVector[k];
      const into = terms.find((t) => t.source === source && proportion(t.poly, poly, scale) !== undefined);
      if (into) {
        const c = proportion(into.poly, poly, scale)!;
        into.vector = addScaled(into.vector, u, c);
        into.sigma += c;
      } else terms.push({ source, poly, vector: { index: [...u.index], value: [...u.value] }, sigma: 1 });
    }
    return terms;
  }

  /**
   * Build P, the correction data and run the kernel for steps s..s+m-1 with `gauss` points (0: rates
   * constant). `collapsed`: one-point form (a = ∫ exp(A₀(dt − s)) u ds, b and δ at the step midpoint),
   * for rows where the sources are smooth.
   */
  private prepare(s: number, m: number, gauss: number, collapsed: boolean): void {
    const { gen, width: W, dt, P } = this;
    const t0 = this.timeOf(s - 1);
    gen.load(t0 + 0.5 * m * dt);
    const terms = gauss > 0 ? this.buildTerms() : [];
    const G = terms.length > 0 ? gauss : 0;
    const mode = this.modeFor(G, collapsed, terms);
    const { spec, layout: L } = mode;
    const nodes = collapsed
      ? [0.5 * dt]
      : Array.from(GAUSS[Math.max(G, 1) - 1].nodes, (x) => 0.5 * dt * (1 + x));
    this.terms = terms;
    if (G > 0) this.request(spec, nodes, collapsed);
    gen.expm(dt, P, G > 0 ? this.extras : undefined, this.dense?.computed);
    if (this.S.length < L.size) this.S = new Float64Array(2 * L.size);
    const S = this.S;
    let o = L.p;
    for (let i = 0; i < W; i++) {
      if (i === this.elim) continue;
      for (const j of spec.pCols[i]) S[o++] = P[i * W + j];
    }
    if (G > 0) this.fillCorrection(spec, L, S, t0, nodes, collapsed);
    const { store } = this;
    // the dose in the system, for `eliminated` by difference (complete kernels only)
    let mass = 0;
    const prev = (s - 1 - store.offset) * W;
    if (spec.complete) for (let i = 0; i < this.n; i++) mass += store.buffer[prev + i];
    const heart = this.dense?.heart ?? NO_COLUMN;
    const cells = this.dense?.cells ?? NO_COLUMN;
    const end = s + m - 1;
    for (let a = s; a <= end; ) {
      const b = store.reserve(a - 1, end);
      mode.run(store.buffer, heart, cells, a, b, S, mass, store.offset);
      store.capture(a, b);
      if (b < end) this.advanceClock(G, L, S, b - a + 1);
      a = b + 1;
    }
  }

  /** Move the kernel's clocks on by `steps` (the window slid mid-segment), as the kernel itself does. */
  private advanceClock(G: number, L: KernelLayout, S: Float64Array, steps: number): void {
    for (let g = 0; g < G; g++) {
      let u = S[L.u0 + g];
      for (let i = 0; i < steps; i++) u = u * S[L.du] + S[L.du + 1];
      S[L.u0 + g] = u;
    }
  }

  private buffer(i: number): Float64Array {
    while (this.buffers.length <= i) this.buffers.push(new Float64Array(this.width));
    return this.buffers[i];
  }

  /**
   * Ask the series of exp(A₀ dt) for the correction vectors: a_{k,g} = exp(A₀(dt − s_g)) u_k (or, for
   * the one-point form, ∫₀^dt exp(A₀ s) u_k ds) and b_{f,g} = e_fᵀ exp(A₀ s_g).
   */
  private request(spec: KernelSpec, nodes: number[], collapsed: boolean): void {
    const ex = this.extras;
    const { dt } = this;
    ex.clear();
    let b = 0;
    for (const { vector } of this.terms) {
      if (collapsed) ex.integrals.push({ vector, out: this.buffer(b++) });
      else for (const s of nodes) ex.columns.push({ vector, time: dt - s, out: this.buffer(b++) });
    }
    spec.bCols.forEach((_, f) => {
      const state = this.terms[spec.termSource.indexOf(f)].source;
      for (const s of nodes) ex.rows.push({ state, time: s, out: this.buffer(b++) });
    });
  }

  /**
   * The sparsity pattern from the reachability of the frozen generator (rows of the computed states
   * only), and the terms' shape.
   */
  private spec(terms: Term[], G: number): KernelSpec {
    const { width: W, reach, elim, dense } = this;
    const computed = (i: number): boolean => i !== elim && (!dense || dense.computed[i] === 1);
    const pCols: number[][] = [];
    for (let i = 0; i < W; i++) {
      const cols: number[] = [];
      if (computed(i)) for (let j = 0; j < W; j++) if (j !== elim && reach[i * W + j]) cols.push(j);
      pCols.push(cols);
    }
    const sources: number[] = [];
    const termSource: number[] = [];
    const aRows: number[][] = [];
    for (const t of terms) {
      let f = sources.indexOf(t.source);
      if (f < 0) f = sources.push(t.source) - 1;
      termSource.push(f);
      const rows: number[] = [];
      for (let i = 0; i < W; i++)
        if (computed(i) && t.vector.index.some((j) => reach[i * W + j])) rows.push(i);
      aRows.push(rows);
    }
    const bCols = sources.map((f) => {
      const cols: number[] = [];
      for (let j = 0; j < W; j++) if (j !== elim && reach[f * W + j]) cols.push(j);
      return cols;
    });
    const heart = this.model.heartStates;
    const cells = COMPARTMENT_INDEX.infarct_cells;
    return {
      width: W,
      elim,
      n: this.n,
      pCols,
      complete: !dense,
      dense: dense !== undefined,
      gauss: G,
      degree: DEGREE,
      termSource,
      aRows,
      bCols,
      heart,
      cells,
    };
  }

  /** Identifies a kernel: the reachability pattern, the terms' shape and the dense columns. */
  private key(shape: string): string {
    if (!this.reachKey) this.reachKey = this.reach.join("");
    return `${this.width}|${this.elim}|${DEGREE}|${shape}|${this.model.heartStates}|${this.reachKey}`;
  }

  /** Correction vectors a, b, the δ polynomials and the per-step quadrature data (see kernel.ts). */
  private fillCorrection(
    spec: KernelSpec,
    L: KernelLayout,
    S: Float64Array,
    t0: number,
    node: number[],
    collapsed: boolean,
  ): void {
    const { gen, dt, extras, terms } = this;
    const G = spec.gauss;
    const K = terms.length;
    const weight = collapsed ? [1] : Array.from(GAUSS[G - 1].weights, (w) => 0.5 * dt * w);
    const a = collapsed ? extras.integrals : extras.columns;
    let o = L.a;
    for (let k = 0; k < K; k++)
      for (let g = 0; g < G; g++) {
        const out = a[k * G + g].out;
        for (const i of spec.aRows[k]) S[o++] = out[i];
      }
    o = L.b;
    spec.bCols.forEach((cols, f) => {
      const src = terms[spec.termSource.indexOf(f)].source;
      const Kf = gen.outflow[src];
      for (let g = 0; g < G; g++) {
        const out = extras.rows[f * G + g].out;
        for (const j of cols) S[o++] = out[j];
        S[L.phi + f * G + g] = Kf * node[g] > 1e-12 ? -Math.expm1(-Kf * node[g]) / Kf : node[g];
      }
    });
    const d1 = DEGREE + 1;
    for (let k = 0; k < K; k++) {
      S.set(terms[k].poly, L.poly + k * d1);
      S[L.sigma + k] = terms[k].sigma;
    }
    // u at each sampling point of the first step, and its per-step recurrence u ← α u + β
    for (let g = 0; g < G; g++) {
      S[L.u0 + g] = this.rates.u(t0 + node[g]);
      S[L.wg + g] = weight[g];
    }
    this.rates.recurrence(S, L.du);
  }
}

/** c with b = c·a (all coefficients, relative to `scale` = max |b|), or undefined. */
function proportion(a: Float64Array, b: Float64Array, scale: number): number | undefined {
  let d = 0;
  for (let i = 1; i < a.length; i++) if (Math.abs(a[i]) > Math.abs(a[d])) d = i;
  if (a[d] === 0) return undefined;
  const c = b[d] / a[d];
  for (let i = 0; i < a.length; i++)
    if (Math.abs(b[i] - c * a[i]) > PROPORTIONAL_TOL * scale) return undefined;
  return c;
}

/** a + c·b for sparse vectors. */
function addScaled(a: SparseVector, b: SparseVector, c: number): SparseVector {
  const index = [...a.index];
  const value = [...a.value];
  b.index.forEach((j, e) => {
    const at = index.indexOf(j);
    if (at >= 0) value[at] += c * b.value[e];
    else {
      index.push(j);
      value.push(c * b.value[e]);
    }
  });
  // entries that cancel exactly (the shared source when δ_remote = −δ_infarct) are dropped
  const keep = value.flatMap((v, e) => (v !== 0 ? [e] : []));
  return { index: keep.map((e) => index[e]), value: keep.map((e) => value[e]) };
}
