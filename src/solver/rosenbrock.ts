import { luFactor, luSolve } from "./linalg.ts";
import { stepKernels } from "./rosenbrock-kernels.ts";
import { sparseLUFor } from "./sparse-lu.ts";
import {
  initialStep,
  newStats,
  type OdeSystem,
  SolverError,
  type Stepper,
  type StepperOptions,
} from "./types.ts";

/**
 * Rosenbrock methods for stiff systems: Rodas4 (Hairer & Wanner, Solving ODE II, IV.7; coefficients
 * of `rodas.f`), a 6-stage, 4th-order, L-stable, stiffly accurate method with a 3rd-order embedded
 * estimate (err = k6), and Rodas3 below. Transformed form:
 *   (I/(hγ) − J)·k_i = f(t + c_i·h, y + Σ a_ij·k_j) + Σ (C_ij/h)·k_j + h·d_i·∂f/∂t
 * The Jacobian is evaluated once per accepted step and reused after a rejection (only I/(hγ) − J is
 * refactored): analytically with sparse LU when the system provides `jacobian` (the compiled
 * network does), otherwise by forward differences with dense LU. Output between steps by cubic Hermite interpolation
 * from y and f at both ends. (ROS3P was tried first: its embedded estimate vanishes on linear
 * problems, because two of its stages coincide there, so steps grew without control.)
 */
/** A Rosenbrock method in the transformed form above (KPP's conventions, Sandu et al. 1997). */
export interface Tableau {
  name: string;
  stages: number;
  gamma: number;
  /** a_ij, c_ij (lower triangular, row i = stage i) */
  a: readonly (readonly number[])[];
  c: readonly (readonly number[])[];
  /** stage times c_i (fractions of h) and d_i = Σ_j γ_ij (∂f/∂t coefficients) */
  alpha: readonly number[];
  d: readonly number[];
  /** stage i reuses the previous stage's f (its point is the same) */
  reuseF: readonly boolean[];
  /** y_new = y + Σ m_i·k_i, error = Σ e_i·k_i */
  m: readonly number[];
  e: readonly number[];
  /** order of the error estimate + 1 */
  errorOrder: number;
}

const RODAS4_A = [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895];
const RODAS4: Tableau = {
  name: "Rodas4",
  stages: 6,
  gamma: 0.25,
  a: [
    [],
    [1.544],
    [0.9466785280815826, 0.2557011698983284],
    [3.314825187068521, 2.896124015972201, 0.9986419139977817],
    RODAS4_A,
    [...RODAS4_A, 1],
  ],
  c: [
    [],
    [-5.6688],
    [-2.430093356833875, -0.2063599157091915],
    [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
    [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.7089089320616],
    [8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054],
  ],
  alpha: [0, 0.386, 0.21, 0.63, 1, 1],
  d: [0.25, -0.1043, 0.1035, -0.0362, 0, 0],
  reuseF: [false, false, false, false, false, false],
  // stiffly accurate: y_new = y + Σ a_6j·k_j + k_6, error estimate = k_6
  m: [...RODAS4_A, 1, 1],
  e: [0, 0, 0, 0, 0, 1],
  errorOrder: 4,
};

/**
 * Rodas3 (Sandu et al., Atmos. Environ. 31:3459, 1997; the coefficients of KPP's `Rodas3`): 4 stages,
 * order 3, L-stable and stiffly accurate, with 3 function evaluations per step (stage 2 sits at the
 * step's start and reuses f there) against Rodas4's 6. At the loose tolerances of cohorts
 * (rtol 1e-3 … 1e-4) it needs fewer evaluations for the same accuracy.
 */
const RODAS3: Tableau = {
  name: "Rodas3",
  stages: 4,
  gamma: 0.5,
  a: [[], [0], [2, 0], [2, 0, 1]],
  c: [[], [4], [1, -1], [1, -1, -8 / 3]],
  alpha: [0, 0, 1, 1],
  d: [0.5, 1.5, 0, 0],
  reuseF: [false, true, false, false],
  m: [2, 0, 1, 1],
  e: [0, 0, 0, 1],
  errorOrder: 3,
};

export const TABLEAUS = { rosenbrock: RODAS4, rodas3: RODAS3 } as const;

const SAFE = 0.9;
const FAC_MIN = 0.2;
const FAC_MAX = 6;

export function createRosenbrock(
  sys: OdeSystem,
  opts: StepperOptions = {},
  tableau: Tableau = RODAS4,
): Stepper {
  const n = sys.size;
  const S = tableau.stages;
  const GAMMA = tableau.gamma;
  const CT = Float64Array.from(tableau.alpha);
  const D = Float64Array.from(tableau.d);
  const reuseF = tableau.reuseF;
  const ERR_EXPONENT = 1 / tableau.errorOrder;
  const rtol = opts.rtol ?? 1e-6;
  const atol = opts.atol ?? 1e-9;
  const hMax = opts.hMax ?? Number.POSITIVE_INFINITY;
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const autonomous = opts.autonomous ?? false;
  const stats = newStats();
  const y = new Float64Array(n);
  let f0 = new Float64Array(n);
  let fNew = new Float64Array(n);
  const yPrev = new Float64Array(n);
  const fPrev = new Float64Array(n);
  const dT = new Float64Array(n);
  const dense = !sys.jacobian;
  const jac = new Float64Array(dense ? n * n : 0);
  const m = new Float64Array(dense ? n * n : 0);
  const piv = new Int32Array(n);
  const K = new Float64Array(S * n); // stage s at offset s·n
  const kernels = stepKernels(tableau, n);
  const KS = Array.from({ length: S }, (_, st) => K.subarray(st * n, (st + 1) * n));
  const sparse = sys.jacobian ? sparseLUFor(sys.jacobian.pattern) : null;
  const jv = sys.jacobian ? new Float64Array(sys.jacobian.pattern.colIdx.length) : null;
  const luv = sparse ? new Float64Array(sparse.size) : null;
  const u = new Float64Array(n);
  const fu = new Float64Array(n);
  const yNew = new Float64Array(n);
  let t = 0;
  let tPrev = 0;
  let hLast = 0;
  let h = 0;
  let jacobianFresh = false;

  const f = (tt: number, yy: Float64Array, out: Float64Array) => {
    sys.rhs(tt, yy, out);
    stats.rhsEvals++;
  };

  /** forward-difference Jacobian (column j from perturbing y_j) and ∂f/∂t at (t, y) */
  const computeJacobian = () => {
    const dTdone = sys.jacobian
      ? sys.jacobian.evaluate(t, y, jv!, autonomous ? undefined : dT) === true
      : false;
    if (!sys.jacobian)
      for (let j = 0; j < n; j++) {
        const yj = y[j];
        y[j] = yj + Math.sqrt(Number.EPSILON) * Math.max(Math.abs(yj), 1e-5 + atol);
        const d = y[j] - yj; // the increment actually taken, after rounding
        f(t, y, fu);
        y[j] = yj;
        for (let i = 0; i < n; i++) jac[i * n + j] = (fu[i] - f0[i]) / d;
      }
    if (autonomous) dT.fill(0);
    else if (!dTdone) {
      const d = Math.sqrt(Number.EPSILON) * Math.max(Math.abs(t), 1);
      f(t + d, y, fu);
      for (let i = 0; i < n; i++) dT[i] = (fu[i] - f0[i]) / d;
    }
    stats.jacobians++;
    jacobianFresh = true;
  };

  const stepper: Stepper = {
    get t() {
      return t;
    },
    y,
    get dydt() {
      return f0;
    },
    stats,
    reset(t0, y0) {
      t = t0;
      tPrev = t0;
      if (y0 !== y) y.set(y0);
      f(t, y, f0);
      h = opts.h0 ?? initialStep(sys, t, y, f0, 4, rtol, atol, hMax, u, fu, stats);
      jacobianFresh = false;
    },
    step(tLimit) {
      if (!jacobianFresh) computeJacobian();
      for (;;) {
        if (stats.steps + stats.rejected >= maxSteps)
          throw new SolverError(`rosenbrock: more than ${maxSteps} steps`, t);
        let hh = Math.min(h, hMax);
        let landing = false;
        if (t + hh >= tLimit - 1e-12 * Math.max(1, Math.abs(tLimit)) || t + 1.01 * hh >= tLimit) {
          hh = tLimit - t;
          landing = true;
        }
        // stage times stay left of tLimit, so a step ending on a breakpoint sees the rhs from before the jump
        const tLeft = tLimit - Math.abs(tLimit) * Number.EPSILON;
        if (!(hh > 0) || t + hh === t) throw new SolverError("rosenbrock: step size underflow", t);
        const diag = 1 / (hh * GAMMA);
        let factored: boolean;
        if (sparse) {
          sparse.load(jv!, diag, luv!);
          factored = sparse.factor(luv!);
        } else {
          for (let i = 0; i < n * n; i++) m[i] = -jac[i];
          for (let i = 0; i < n; i++) m[i * n + i] += diag;
          factored = luFactor(m, n, piv);
        }
        if (!factored) {
          stats.rejected++;
          h = hh * 0.25;
          continue;
        }
        const invH = 1 / hh;
        for (let s = 0; s < S; s++) {
          const ks = KS[s];
          // ks = Σ_j (c_sj/h)·k_j and the stage point u = y + Σ_j a_sj·k_j, in one pass
          if (s > 0) kernels.stageInput[s](u, ks, y, K, invH);
          if (s === 0) fu.set(f0);
          else if (!reuseF[s]) f(Math.max(t, Math.min(t + CT[s] * hh, tLeft)), u, fu);
          // k_s = fu + h·d_s·∂f/∂t + Σ_j (c_sj/h)·k_j, then solved in place (the sparse solve sums
          // the right-hand side as it reads it)
          if (s === 0) ks.fill(0);
          const g = hh * D[s];
          if (sparse) sparse.solveSum(luv!, ks, fu, dT, g);
          else {
            for (let i = 0; i < n; i++) ks[i] += fu[i] + g * dT[i];
            luSolve(m, n, piv, ks);
          }
        }
        // y_new = y + Σ m_s·k_s and the error norm of Σ e_s·k_s, in one pass
        const e = kernels.finish(yNew, y, K, rtol, atol);
        const fac = Number.isFinite(e)
          ? Math.max(FAC_MIN, Math.min(FAC_MAX, SAFE * Math.max(e, 1e-10) ** -ERR_EXPONENT))
          : FAC_MIN;
        if (e <= 1) {
          const tNew = landing ? tLimit : t + hh;
          yPrev.set(y);
          fPrev.set(f0);
          y.set(yNew);
          f(landing ? Math.max(t, tLeft) : tNew, y, fNew);
          const swap = f0;
          f0 = fNew;
          fNew = swap;
          tPrev = t;
          hLast = hh;
          t = tNew;
          h = hh * fac;
          stats.steps++;
          jacobianFresh = false;
          return;
        }
        stats.rejected++;
        h = hh * Math.min(fac, 0.9);
      }
    },
    interpolate(tOut, out, offset = 0, columns) {
      const m = columns ? columns.length : n;
      if (hLast === 0 || tOut === t) {
        for (let c = 0; c < m; c++) out[offset + c] = y[columns ? columns[c] : c];
        return;
      }
      const s = (tOut - tPrev) / hLast;
      const s1 = s - 1;
      const h00 = (1 + 2 * s) * s1 * s1;
      const h10 = s * s1 * s1 * hLast;
      const h01 = s * s * (3 - 2 * s);
      const h11 = s * s * s1 * hLast;
      for (let c = 0; c < m; c++) {
        const i = columns ? columns[c] : c;
        out[offset + c] = h00 * yPrev[i] + h10 * fPrev[i] + h01 * y[i] + h11 * f0[i];
      }
    },
  };
  return stepper;
}
