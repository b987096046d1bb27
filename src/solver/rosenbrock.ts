import { luFactor, luSolve } from "./linalg.ts";
import {
  errorNorm,
  initialStep,
  newStats,
  type OdeSystem,
  SolverError,
  type Stepper,
  type StepperOptions,
} from "./types.ts";

/**
 * ROS3P (Lang & Verwer, BIT 2001): a 3-stage, 3rd-order, A-stable Rosenbrock method with an
 * embedded 2nd-order error estimate, for stiff systems. Coefficients in the transformed form of
 * Hairer & Wanner (Solving ODE II, IV.7):
 *   (I/(hγ) − J)·k_i = f(t + c_i·h, y + Σ a_ij·k_j) + Σ (C_ij/h)·k_j + h·d_i·∂f/∂t
 * The Jacobian is estimated by forward differences once per accepted step (reused after a
 * rejection, only the matrix I/(hγ) − J is refactored). Output between steps by cubic Hermite
 * interpolation from y and f at both ends (3rd order, like the method).
 */
const GAMMA = 0.5 + Math.sqrt(3) / 6;
const IG = 1 / GAMMA;
const A21 = IG;
const A31 = IG;
const A32 = 0;
const C21 = -IG * IG;
const TMP_C = -IG * (2 - 0.5 * IG);
const C31 = -IG * (1 - TMP_C);
const C32 = TMP_C;
const TMP_B = IG * (2 / 3 - IG / 6);
const B1 = IG * (1 + TMP_B);
const B2 = TMP_B;
const B3 = IG / 3;
const BT1 = B1 - 2.113248654051871;
const BT2 = B2 - 1.0;
const BT3 = B3 - 0.4226497308103742;
const CS2 = 1;
const CS3 = 1;
const D1 = 0.7886751345948129;
const D2 = -0.2113248654051871;
const D3 = -1.077350269189626;

const SAFE = 0.9;
const FAC_MIN = 0.2;
const FAC_MAX = 6;

export function createRosenbrock(sys: OdeSystem, opts: StepperOptions = {}): Stepper {
  const n = sys.size;
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
  const jac = new Float64Array(n * n);
  const m = new Float64Array(n * n);
  const piv = new Int32Array(n);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const u = new Float64Array(n);
  const fu = new Float64Array(n);
  const yNew = new Float64Array(n);
  const err = new Float64Array(n);
  let t = 0;
  let tPrev = 0;
  let hLast = 0;
  let h = 0;
  let jacobianFresh = false;
  let attempts = 0;

  const f = (tt: number, yy: Float64Array, out: Float64Array) => {
    sys.rhs(tt, yy, out);
    stats.rhsEvals++;
  };

  /** forward-difference Jacobian (column j from perturbing y_j) and ∂f/∂t at (t, y) */
  const computeJacobian = () => {
    for (let j = 0; j < n; j++) {
      const yj = y[j];
      const d = Math.sqrt(Number.EPSILON) * Math.max(Math.abs(yj), 1e-5 + atol);
      y[j] = yj + d;
      const dd = y[j] - yj; // the step actually taken, after rounding
      f(t, y, fu);
      y[j] = yj;
      for (let i = 0; i < n; i++) jac[i * n + j] = (fu[i] - f0[i]) / dd;
    }
    if (autonomous) dT.fill(0);
    else {
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
      h = opts.h0 ?? initialStep(sys, t, y, f0, 3, rtol, atol, hMax, u, fu, stats);
      jacobianFresh = false;
      attempts = 0;
    },
    step(tLimit) {
      if (!jacobianFresh) computeJacobian();
      for (;;) {
        if (++attempts > maxSteps) throw new SolverError(`rosenbrock: more than ${maxSteps} steps`, t);
        let hh = Math.min(h, hMax);
        let landing = false;
        if (t + hh >= tLimit - 1e-12 * Math.max(1, Math.abs(tLimit)) || t + 1.01 * hh >= tLimit) {
          hh = tLimit - t;
          landing = true;
        }
        if (!(hh > 0) || t + hh === t) throw new SolverError("rosenbrock: step size underflow", t);
        const diag = 1 / (hh * GAMMA);
        for (let i = 0; i < n * n; i++) m[i] = -jac[i];
        for (let i = 0; i < n; i++) m[i * n + i] += diag;
        if (!luFactor(m, n, piv)) {
          stats.rejected++;
          h = hh * 0.25;
          continue;
        }
        // stage 1
        for (let i = 0; i < n; i++) k1[i] = f0[i] + hh * D1 * dT[i];
        luSolve(m, n, piv, k1);
        // stage 2
        for (let i = 0; i < n; i++) u[i] = y[i] + A21 * k1[i];
        f(t + CS2 * hh, u, fu);
        for (let i = 0; i < n; i++) k2[i] = fu[i] + hh * D2 * dT[i] + (C21 / hh) * k1[i];
        luSolve(m, n, piv, k2);
        // stage 3
        for (let i = 0; i < n; i++) u[i] = y[i] + A31 * k1[i] + A32 * k2[i];
        f(t + CS3 * hh, u, fu);
        for (let i = 0; i < n; i++) k3[i] = fu[i] + hh * D3 * dT[i] + (C31 * k1[i] + C32 * k2[i]) / hh;
        luSolve(m, n, piv, k3);
        for (let i = 0; i < n; i++) {
          yNew[i] = y[i] + B1 * k1[i] + B2 * k2[i] + B3 * k3[i];
          err[i] = BT1 * k1[i] + BT2 * k2[i] + BT3 * k3[i];
        }
        const e = errorNorm(err, y, yNew, rtol, atol);
        const fac = Number.isFinite(e) ? Math.max(FAC_MIN, Math.min(FAC_MAX, SAFE * e ** (-1 / 3))) : FAC_MIN;
        if (e <= 1) {
          const tNew = landing ? tLimit : t + hh;
          yPrev.set(y);
          fPrev.set(f0);
          y.set(yNew);
          f(tNew, y, fNew);
          const swap = f0;
          f0 = fNew;
          fNew = swap;
          tPrev = t;
          hLast = hh;
          t = tNew;
          h = hh * fac;
          stats.steps++;
          attempts = 0;
          jacobianFresh = false;
          return;
        }
        stats.rejected++;
        h = hh * Math.min(fac, 0.9);
      }
    },
    interpolate(tOut, out) {
      if (hLast === 0 || tOut === t) {
        out.set(y);
        return;
      }
      const s = (tOut - tPrev) / hLast;
      const s1 = s - 1;
      const h00 = (1 + 2 * s) * s1 * s1;
      const h10 = s * s1 * s1 * hLast;
      const h01 = s * s * (3 - 2 * s);
      const h11 = s * s * s1 * hLast;
      for (let i = 0; i < n; i++) out[i] = h00 * yPrev[i] + h10 * fPrev[i] + h01 * y[i] + h11 * f0[i];
    },
  };
  return stepper;
}
