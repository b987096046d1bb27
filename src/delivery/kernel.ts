/**
 * The per-row update of the dense delivery table, generated as straight-line code for one sparsity
 * pattern. Filling ~7 000 rows is most of the cost of a delivery run; a generic sparse (CSR) loop over
 * the same multiply-adds ran ~3–4× slower in V8 (1.1–1.9 ms vs 0.33–0.41 ms for 6 720 rows, measured)
 * than code with the state in local variables and the pattern baked in. Patterns depend only on which
 * transfers are switched on, so a handful of kernels serve every call (cached below).
 *
 * Row r is computed from row r − 1 (step length dt) as
 *   y = P x + Σ_{k,g} q_{k,g} a_{k,g},   q_{k,g} = δ_k(t_g) · W_g (1 − σ_{f,g} φ_{f,g}) (b_{f,g} · x)
 * where P = exp(A₀ dt) for the segment's frozen generator A₀, and the sum is the first-order
 * (Dyson) correction for the smoothly varying transfers (rate r(t) = r(A₀) + δ(t), out of source f)
 * by Gauss–Legendre quadrature over the step (nodes s_g, weights W_g):
 *   a_{k,g} = exp(A₀ (dt − s_g)) u_k,  u_k = e_to − e_from,  b_{f,g} = e_fᵀ exp(A₀ s_g).
 * A term k may stand for several transfers whose δ are proportional (u_k then combines them).
 * (With one point the segment data hold a_k = ∫ exp(A₀(dt − s)) u_k ds and W = 1 instead.)
 * The factor (1 − σ φ), σ = Σ_{k out of f} w_k δ_k (w_k: the summed proportionality factors),
 * φ = (1 − e^{−K_f s})/K_f, is the leading second-order term (the extra outflow also depletes the
 * source). δ_k is a polynomial in a normalized clock u of the segment (an affine function of t or of
 * exp(−λt)), advanced per step by u ← α u + β. `eliminated` is the dose left over, so mass balance
 * holds to rounding.
 *
 * A kernel computes only the rows its pattern lists (pCols non-empty): the first sweep of a run takes
 * just the states the dense columns depend on (integrate.ts), about half of a full row. The columns of
 * the other states are left as they were in `t`.
 */

export interface KernelSpec {
  width: number;
  /** index of the sink computed by difference */
  elim: number;
  /** number of compartments (the rest of the row are aux integrals) */
  n: number;
  /** per row i (elim's list is ignored): columns j with P[i][j] ≠ 0; none: row i is not computed */
  pCols: number[][];
  /** every state is computed: `eliminated` too, by difference */
  complete: boolean;
  /** write the dense heart and cargo columns */
  dense: boolean;
  /** Gauss points per step (0: no varying transfers in this segment) */
  gauss: number;
  /** degree of the δ polynomials */
  degree: number;
  /** per correction term: index of its source among bCols */
  termSource: number[];
  /** per correction term: rows where a_{k,g} may be non-zero */
  aRows: number[][];
  /** per source: columns where b_{f,g} may be non-zero */
  bCols: number[][];
  /** compartments summed into the heart column */
  heart: number[];
  /** the compartment copied into the dense cargo column */
  cells: number;
}

/** Offsets into the per-segment coefficient array S. */
export interface KernelLayout {
  /** P values in pCols order (rows ascending, elim skipped) */
  p: number;
  /** a values: for k, for g, for i in aRows[k] */
  a: number;
  /** b values: for f, for g, for j in bCols[f] */
  b: number;
  /** δ polynomial coefficients: for k, degree + 1 (ascending powers of u) */
  poly: number;
  /** u of each Gauss point at the segment's first step */
  u0: number;
  /** u recurrence per step: u ← α u + β (α at du, β at du + 1) */
  du: number;
  /** Gauss weights × dt/2 */
  wg: number;
  /** φ for f, g */
  phi: number;
  /** σ weight per term */
  sigma: number;
  size: number;
}

/**
 * Rows first..last (inclusive) are computed from their predecessors; row r is at t[(r − off)·width]
 * (see RowStore). h, cl: the dense heart and cargo columns, written while the row is at hand (by
 * kernels with spec.dense only).
 */
export type RowKernel = (
  t: Float64Array,
  h: Float64Array,
  cl: Float64Array,
  first: number,
  last: number,
  S: Float64Array,
  mass: number,
  off: number,
) => void;

export function kernelLayout(spec: KernelSpec): KernelLayout {
  let o = 0;
  const p = o;
  spec.pCols.forEach((cols, i) => {
    if (i !== spec.elim) o += cols.length;
  });
  const a = o;
  for (const rows of spec.aRows) o += rows.length * spec.gauss;
  const b = o;
  for (const cols of spec.bCols) o += cols.length * spec.gauss;
  const poly = o;
  o += spec.termSource.length * (spec.degree + 1);
  const u0 = o;
  o += spec.gauss;
  const du = o;
  o += 2;
  const wg = o;
  o += spec.gauss;
  const phi = o;
  o += spec.bCols.length * spec.gauss;
  const sigma = o;
  o += spec.termSource.length;
  return { p, a, b, poly, u0, du, wg, phi, sigma, size: o };
}

/** A generated kernel with its pattern and the layout of its segment data. */
export interface Kernel {
  spec: KernelSpec;
  layout: KernelLayout;
  run: RowKernel;
}

const cache = new Map<string, Kernel>();
const CACHE_SIZE = 64;

/**
 * The kernel for a pattern, cached by `key`, which must identify the spec that `spec()` builds (built
 * only on a miss: a handful of patterns serve every call, and building one per segment cost ~5% of a run).
 */
export function rowKernel(key: string, spec: () => KernelSpec): Kernel {
  let k = cache.get(key);
  if (!k) {
    const s = spec();
    const run = new Function("t", "h", "cl", "first", "last", "S", "mass", "off", generate(s)) as RowKernel;
    k = { spec: s, layout: kernelLayout(s), run };
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, k);
  }
  return k;
}

function generate(spec: KernelSpec): string {
  const L = kernelLayout(spec);
  const { width: W, elim, n, gauss: G, degree } = spec;
  const K = spec.termSource.length;
  const F = spec.bCols.length;
  const used = new Set<number>();
  spec.pCols.forEach((cols, i) => {
    if (i !== elim) for (const j of cols) used.add(j);
  });
  for (const cols of spec.bCols) for (const j of cols) used.add(j);

  // The state stays in local variables from one row to the next; only the first row is read back. The
  // coefficients are read into locals once, before the loop: read from S in the loop they cost ~25% more
  // per row (V8 reloads and bounds-checks typed-array elements on every pass).
  const pre: string[] = ['"use strict";', `const p0 = (first - 1 - off) * ${W};`];
  for (const j of [...used].sort((x, y) => x - y)) pre.push(`let x${j} = t[p0 + ${j}];`);
  const coefficients = new Set<number>();
  const s = (index: number): string => {
    coefficients.add(index);
    return `s${index}`;
  };
  const out: string[] = ["for (let r = first; r <= last; r++) {", `const c = (r - off) * ${W};`];
  const post: string[] = [];
  // Dyson correction coefficients q_k_g
  const corr: string[][] = Array.from({ length: W }, () => []);
  if (G > 0 && K > 0) {
    for (let g = 0; g < G; g++) pre.push(`let u${g} = S[${L.u0 + g}];`);
    for (let g = 0; g < G; g++) post.push(`u${g} = u${g} * ${s(L.du)} + ${s(L.du + 1)};`);
    for (let k = 0; k < K; k++) {
      const base = L.poly + k * (degree + 1);
      for (let g = 0; g < G; g++) {
        let h = s(base + degree);
        for (let d = degree - 1; d >= 0; d--) h = `(${h} * u${g} + ${s(base + d)})`;
        out.push(`const d${k}_${g} = ${h};`);
      }
    }
    let bo = L.b;
    for (let f = 0; f < F; f++) {
      const ks = spec.termSource.flatMap((src, k) => (src === f ? [k] : []));
      for (let g = 0; g < G; g++) {
        const dot = spec.bCols[f].map((j) => `${s(bo++)} * x${j}`).join(" + ") || "0";
        const sigma = ks.map((k) => `${s(L.sigma + k)} * d${k}_${g}`).join(" + ") || "0";
        out.push(
          `const f${f}_${g} = ${s(L.wg + g)} * (1 - (${sigma}) * ${s(L.phi + f * G + g)}) * (${dot});`,
        );
      }
    }
    let ao = L.a;
    for (let k = 0; k < K; k++) {
      for (let g = 0; g < G; g++) {
        out.push(`const q${k}_${g} = d${k}_${g} * f${spec.termSource[k]}_${g};`);
        for (const i of spec.aRows[k]) corr[i].push(`q${k}_${g} * ${s(ao++)}`);
      }
    }
  }

  let po = L.p;
  const compartments: string[] = [];
  for (let i = 0; i < W; i++) {
    if (i === elim || spec.pCols[i].length === 0) continue;
    const terms = spec.pCols[i].map((j) => `${s(po++)} * x${j}`);
    terms.push(...corr[i]);
    out.push(`const y${i} = ${terms.join(" + ")}; t[c + ${i}] = y${i};`);
    if (i < n) compartments.push(`y${i}`);
  }
  if (spec.complete) out.push(`t[c + ${elim}] = mass - (${compartments.join(" + ") || "0"});`);
  if (spec.dense) {
    out.push(`h[r] = ${spec.heart.map((i) => `y${i}`).join(" + ") || "0"};`);
    out.push(`cl[r] = y${spec.cells};`);
  }
  for (const j of used) post.push(`x${j} = y${j};`);
  out.push(...post, "}");
  for (const index of coefficients) pre.push(`const s${index} = S[${index}];`);
  return [...pre, ...out].join("\n");
}
