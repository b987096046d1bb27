import type { SparsePattern } from "./types.ts";

/**
 * Sparse LU for matrices of the form M = d·I − J with a fixed pattern (the stiff solver's iteration
 * matrix, Newton's −J). The symbolic work is done once per pattern: a minimum-degree ordering on the
 * symmetrised graph keeps fill-in small, and the elimination is recorded as flat index lists, so the
 * numeric factorization is one pass over typed arrays with no searching and no allocation.
 *
 * There is no pivoting: the ordering is chosen for sparsity, not for pivot size. `factor` reports a
 * pivot that is tiny relative to the matrix and callers then shrink the step (which adds to the
 * diagonal) or fall back to dense LU with partial pivoting.
 */
export interface SparseLU {
  readonly n: number;
  /** entries of the factors (pattern + fill-in) */
  readonly size: number;
  /** fill-in entries created by the elimination */
  readonly fill: number;
  /** M = d·I − J from J's values (in the pattern's CSR order) into lu (length `size`) */
  load(jac: Float64Array, d: number, lu: Float64Array): void;
  /**
   * in-place LU of lu; false when a pivot is zero or tiny relative to the largest entry. The diagonal
   * slots then hold the reciprocal pivots 1/U_ii, so the solves multiply instead of dividing.
   */
  factor(lu: Float64Array): boolean;
  /** solves M·x = b with the factors; b is overwritten with x */
  solve(lu: Float64Array, b: Float64Array): void;
  /**
   * solves M·x = b + f + g·d with the factors, b overwritten with x: a Rosenbrock stage's right-hand
   * side summed as the forward substitution reads it, not in a pass of its own
   */
  solveSum(lu: Float64Array, b: Float64Array, f: Float64Array, d: Float64Array, g: number): void;
}

/** Minimum-degree elimination order on the symmetrised pattern (diagonal ignored). */
export function minimumDegreeOrder(pattern: SparsePattern): Int32Array {
  const { n, rowPtr, colIdx } = pattern;
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const j = colIdx[e];
      if (j !== i) {
        adj[i].add(j);
        adj[j].add(i);
      }
    }
  }
  const done = new Uint8Array(n);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!done[i] && (best < 0 || adj[i].size < adj[best].size)) best = i;
    order[k] = best;
    done[best] = 1;
    const nb = [...adj[best]];
    for (const a of nb) {
      adj[a].delete(best);
      for (const b of nb) if (b !== a) adj[a].add(b);
    }
    adj[best].clear();
  }
  return order;
}

export function compileSparseLU(pattern: SparsePattern, order = minimumDegreeOrder(pattern)): SparseLU {
  const { n, rowPtr, colIdx } = pattern;
  const inv = new Int32Array(n);
  for (let k = 0; k < n; k++) inv[order[k]] = k;

  // symbolic elimination in the new numbering: rows[i] = columns present in row i of L+U
  const rows: Set<number>[] = Array.from({ length: n }, (_, i) => new Set([i]));
  for (let i = 0; i < n; i++)
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) rows[inv[i]].add(inv[colIdx[e]]);
  const original = rows.reduce((s, r) => s + r.size, 0);
  for (let k = 0; k < n; k++) {
    const upper = [...rows[k]].filter((j) => j > k);
    for (let i = k + 1; i < n; i++) if (rows[i].has(k)) for (const j of upper) rows[i].add(j);
  }
  // storage: row-major, columns ascending, one slot per entry
  const start = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    cols.push(...[...rows[i]].sort((a, b) => a - b));
    start[i + 1] = cols.length;
  }
  const slot = (i: number, j: number): number => {
    let lo = start[i];
    let hi = start[i + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cols[mid] === j) return mid;
      if (cols[mid] < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const size = cols.length;
  const diag = Int32Array.from({ length: n }, (_, i) => slot(i, i));
  const fromJ = new Int32Array(colIdx.length);
  for (let i = 0; i < n; i++)
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) fromJ[e] = slot(inv[i], inv[colIdx[e]]);

  // the elimination as lists: for pivot k, multipliers at lPos (entries (i,k), i > k), and for each
  // multiplier the updates lu[target] -= l·lu[source] over the pivot row's upper entries
  const lPos: number[] = [];
  const lStart = [0];
  const upd: number[] = [];
  const updSrc: number[] = [];
  const updStart = [0];
  for (let k = 0; k < n; k++) {
    const upper: number[] = [];
    for (let e = start[k]; e < start[k + 1]; e++) if (cols[e] > k) upper.push(e);
    for (let i = k + 1; i < n; i++) {
      const ik = slot(i, k);
      if (ik < 0) continue;
      lPos.push(ik);
      for (const kj of upper) {
        upd.push(slot(i, cols[kj]));
        updSrc.push(kj);
      }
      updStart.push(upd.length);
    }
    lStart.push(lPos.length);
  }
  const L_POS = Int32Array.from(lPos);
  const L_START = Int32Array.from(lStart);
  const UPD = Int32Array.from(upd);
  const UPD_SRC = Int32Array.from(updSrc);
  const UPD_START = Int32Array.from(updStart);
  const COLS = Int32Array.from(cols);

  const lu: SparseLU = {
    n,
    size,
    fill: size - original,
    load(jac, d, lu) {
      lu.fill(0);
      for (let e = 0; e < fromJ.length; e++) lu[fromJ[e]] = -jac[e];
      for (let i = 0; i < n; i++) lu[diag[i]] += d;
    },
    factor(lu) {
      let scale = 0;
      for (let e = 0; e < size; e++) {
        const a = Math.abs(lu[e]);
        if (a > scale) scale = a;
      }
      const tiny = 1e-13 * scale;
      let m = 0; // running index into the multiplier lists
      for (let k = 0; k < n; k++) {
        const p = lu[diag[k]];
        if (!(Math.abs(p) > tiny)) return false;
        const r = 1 / p;
        lu[diag[k]] = r; // read again only by the solves
        for (let q = L_START[k]; q < L_START[k + 1]; q++, m++) {
          const l = lu[L_POS[q]] * r;
          lu[L_POS[q]] = l;
          if (l === 0) continue;
          for (let u = UPD_START[m]; u < UPD_START[m + 1]; u++) lu[UPD[u]] -= l * lu[UPD_SRC[u]];
        }
      }
      return true;
    },
    solve: generateSolve(n, order, start, diag, COLS, false) as SparseLU["solve"],
    solveSum: generateSolve(n, order, start, diag, COLS, true) as SparseLU["solveSum"],
  };
  return lu;
}

/**
 * The triangular solves as straight-line code (one statement per row, constant indices): the
 * stiff solver calls them 6 times per step, and loops over the index arrays cost ~3× more. With
 * `sum`, the right-hand side is b + f + g·d (arguments f, d, g).
 */
function generateSolve(
  n: number,
  order: Int32Array,
  start: Int32Array,
  diag: Int32Array,
  cols: Int32Array,
  sum: boolean,
): SparseLU["solve"] | SparseLU["solveSum"] {
  const lines: string[] = [];
  // forward: L has a unit diagonal; w_i = b[order_i] − Σ_{j<i} L_ij·w_j
  for (let i = 0; i < n; i++) {
    const o = order[i];
    let e = sum ? `b[${o}] + f[${o}] + g * d[${o}]` : `b[${o}]`;
    for (let k = start[i]; k < diag[i]; k++) e += ` - lu[${k}] * w${cols[k]}`;
    lines.push(`const w${i} = ${e};`);
  }
  // backward: v_i = (w_i − Σ_{j>i} U_ij·v_j) / U_ii (the diagonal slot holds 1/U_ii), written back
  // in the original numbering
  for (let i = n - 1; i >= 0; i--) {
    let e = `w${i}`;
    for (let k = diag[i] + 1; k < start[i + 1]; k++) e += ` - lu[${k}] * v${cols[k]}`;
    lines.push(`const v${i} = (${e}) * lu[${diag[i]}];`, `b[${order[i]}] = v${i};`);
  }
  const params = sum ? ["lu", "b", "f", "d", "g"] : ["lu", "b"];
  return new Function(...params, `"use strict";\n${lines.join("\n")}`) as SparseLU["solve"];
}

/** The symbolic factorization depends only on the pattern: one per pattern, shared by every solver. */
const byPattern = new WeakMap<SparsePattern, SparseLU>();
export function sparseLUFor(pattern: SparsePattern): SparseLU {
  let lu = byPattern.get(pattern);
  if (!lu) {
    lu = compileSparseLU(pattern);
    byPattern.set(pattern, lu);
  }
  return lu;
}
