import { luFactor, luSolve } from "./linalg.ts";
import { sparseLUFor } from "./sparse-lu.ts";
import type { OdeSystem } from "./types.ts";

/**
 * Steady state by Newton's method on f(y) = 0 — with the system's analytic sparse Jacobian and
 * sparse LU when it has one, else a finite-difference Jacobian and dense LU: a few
 * iterations from a nearby start (the rest state of nominal parameters) instead of hundreds of time
 * steps through the slowest time constants. Rows with no dependence at all (clamped species, whose
 * f is identically 0) keep their value. Returns null when it does not converge, so the caller can
 * fall back to time integration; never returns a state outside [lo, hi].
 */
export interface NewtonOptions {
  /** converged when max |f| < tol */
  tol?: number;
  maxIter?: number;
  t?: number;
  lo?: number;
  hi?: number;
}

export function newtonSteadyState(
  sys: OdeSystem,
  y0: ArrayLike<number>,
  opts: NewtonOptions = {},
): Float64Array | null {
  const n = sys.size;
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 20;
  const t = opts.t ?? 0;
  const lo = opts.lo ?? Number.NEGATIVE_INFINITY;
  const hi = opts.hi ?? Number.POSITIVE_INFINITY;
  const y = Float64Array.from(y0);
  const f = new Float64Array(n);
  const fp = new Float64Array(n);
  const yp = new Float64Array(n);
  const sj = sys.jacobian;
  const J = new Float64Array(sj ? 0 : n * n);
  const sparse = sj ? sparseLUFor(sj.pattern) : null;
  const jv = new Float64Array(sj ? sj.pattern.colIdx.length : 0);
  const luv = new Float64Array(sparse ? sparse.size : 0);
  const piv = new Int32Array(n);
  const dx = new Float64Array(n);
  const maxAbs = (v: Float64Array) => {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(v[i]));
    return m;
  };
  sys.rhs(t, y, f);
  let res = maxAbs(f);
  for (let it = 0; it < maxIter && res >= tol; it++) {
    if (sj && sparse) {
      sj.evaluate(t, y, jv);
      // rows with no dependence at all (f_i ≡ 0, clamped): J_ii = −1 keeps y_i (M = −J has 1 there)
      const { rowPtr, colIdx } = sj.pattern;
      for (let i = 0; i < n; i++) {
        let any = false;
        let d = -1;
        for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
          if (jv[e] !== 0) any = true;
          if (colIdx[e] === i) d = e;
        }
        if (!any) jv[d] = -1;
      }
      sparse.load(jv, 0, luv); // M = −J
      if (!sparse.factor(luv)) return null;
      dx.set(f);
      sparse.solve(luv, dx); // dx = −J⁻¹·f
    } else {
      // J[i][j] = ∂f_i/∂y_j by forward differences
      for (let j = 0; j < n; j++) {
        const h = 1e-7 * Math.max(1, Math.abs(y[j]));
        yp.set(y);
        yp[j] += h;
        sys.rhs(t, yp, fp);
        for (let i = 0; i < n; i++) J[i * n + j] = (fp[i] - f[i]) / h;
      }
      for (let i = 0; i < n; i++) {
        let any = false;
        for (let j = 0; j < n && !any; j++) any = J[i * n + j] !== 0;
        if (!any) J[i * n + i] = 1; // f_i ≡ 0: keep y_i
      }
      if (!luFactor(J, n, piv)) return null;
      for (let i = 0; i < n; i++) dx[i] = -f[i];
      luSolve(J, n, piv, dx);
    }
    // damped step: halve until the residual falls (guards against overshooting a Hill curve)
    let step = 1;
    let accepted = false;
    for (let k = 0; k < 8; k++) {
      for (let i = 0; i < n; i++) yp[i] = Math.min(hi, Math.max(lo, y[i] + step * dx[i]));
      sys.rhs(t, yp, fp);
      const r = maxAbs(fp);
      if (r < res || r < tol) {
        y.set(yp);
        f.set(fp);
        res = r;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) return null;
  }
  return res < tol ? y : null;
}
