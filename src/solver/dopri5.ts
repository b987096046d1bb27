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
 * Dormand–Prince 5(4) with FSAL, PI step-size control and 4th-order dense output, after Hairer's
 * DOPRI5 (Hairer, Nørsett & Wanner, Solving ODE I, II.5 and II.6). All work arrays are allocated
 * here, once; `step` allocates nothing.
 */
const C2 = 1 / 5,
  C3 = 3 / 10,
  C4 = 4 / 5,
  C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40,
  A32 = 9 / 40;
const A41 = 44 / 45,
  A42 = -56 / 15,
  A43 = 32 / 9;
const A51 = 19372 / 6561,
  A52 = -25360 / 2187,
  A53 = 64448 / 6561,
  A54 = -212 / 729;
const A61 = 9017 / 3168,
  A62 = -355 / 33,
  A63 = 46732 / 5247,
  A64 = 49 / 176,
  A65 = -5103 / 18656;
const A71 = 35 / 384,
  A73 = 500 / 1113,
  A74 = 125 / 192,
  A75 = -2187 / 6784,
  A76 = 11 / 84;
const E1 = 71 / 57600,
  E3 = -71 / 16695,
  E4 = 71 / 1920,
  E5 = -17253 / 339200,
  E6 = 22 / 525,
  E7 = -1 / 40;
const D1 = -12715105075 / 11282082432,
  D3 = 87487479700 / 32700410799,
  D4 = -10690763975 / 1880347072,
  D5 = 701980252875 / 199316789632,
  D6 = -1453857185 / 822651844,
  D7 = 69997945 / 29380423;

// PI controller constants of DOPRI5
const BETA = 0.04;
const EXPO1 = 0.2 - BETA * 0.75;
const SAFE = 0.9;
const FAC_MIN = 0.2; // step may shrink to 1/5 …
const FAC_MAX = 10; // … or grow 10-fold

export function createDopri5(sys: OdeSystem, opts: StepperOptions = {}): Stepper {
  const n = sys.size;
  const rtol = opts.rtol ?? 1e-6;
  const atol = opts.atol ?? 1e-9;
  const hMax = opts.hMax ?? Number.POSITIVE_INFINITY;
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const stats = newStats();
  const y = new Float64Array(n);
  let k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const k5 = new Float64Array(n);
  const k6 = new Float64Array(n);
  let k7 = new Float64Array(n);
  const yStage = new Float64Array(n);
  const yNew = new Float64Array(n);
  const err = new Float64Array(n);
  const r1 = new Float64Array(n);
  const r2 = new Float64Array(n);
  const r3 = new Float64Array(n);
  const r4 = new Float64Array(n);
  const r5 = new Float64Array(n);
  let t = 0;
  let tPrev = 0;
  let hLast = 0;
  let h = 0;
  let errOld = 1e-4;
  let lastRejected = false;

  const f = (tt: number, yy: Float64Array, out: Float64Array) => {
    sys.rhs(tt, yy, out);
    stats.rhsEvals++;
  };

  const stepper: Stepper = {
    get t() {
      return t;
    },
    y,
    get dydt() {
      return k1;
    },
    stats,
    reset(t0, y0) {
      t = t0;
      tPrev = t0;
      if (y0 !== y) y.set(y0);
      f(t, y, k1);
      h = opts.h0 ?? initialStep(sys, t, y, k1, 5, rtol, atol, hMax, yStage, k2, stats);
      errOld = 1e-4;
      lastRejected = false;
    },
    step(tLimit) {
      for (;;) {
        if (stats.steps + stats.rejected >= maxSteps)
          throw new SolverError(`dopri5: more than ${maxSteps} steps`, t);
        let hh = Math.min(h, hMax);
        let landing = false;
        if (t + hh >= tLimit - 1e-12 * Math.max(1, Math.abs(tLimit)) || t + 1.01 * hh >= tLimit) {
          hh = tLimit - t;
          landing = true;
        }
        // stage times stay left of tLimit, so a step ending on a breakpoint sees the rhs from before the jump
        const tLeft = tLimit - Math.abs(tLimit) * Number.EPSILON;
        if (!(hh > 0) || t + hh === t) throw new SolverError("dopri5: step size underflow", t);
        for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * A21 * k1[i];
        f(t + C2 * hh, yStage, k2);
        for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * (A31 * k1[i] + A32 * k2[i]);
        f(t + C3 * hh, yStage, k3);
        for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
        f(t + C4 * hh, yStage, k4);
        for (let i = 0; i < n; i++) {
          yStage[i] = y[i] + hh * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
        }
        f(t + C5 * hh, yStage, k5);
        for (let i = 0; i < n; i++) {
          yStage[i] = y[i] + hh * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
        }
        const tNew = landing ? tLimit : t + hh;
        const tEnd = landing ? Math.max(t, tLeft) : tNew;
        f(tEnd, yStage, k6);
        for (let i = 0; i < n; i++) {
          yNew[i] = y[i] + hh * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
        }
        f(tEnd, yNew, k7);
        for (let i = 0; i < n; i++) {
          err[i] = hh * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
        }
        const e = errorNorm(err, y, yNew, rtol, atol);
        const fac11 = e ** EXPO1;
        if (e <= 1 && Number.isFinite(e)) {
          // PI control: the previous error damps the change of step size
          let fac = fac11 / errOld ** BETA;
          fac = Math.max(1 / FAC_MAX, Math.min(1 / FAC_MIN, fac / SAFE));
          let hNew = hh / fac;
          if (lastRejected) hNew = Math.min(hNew, hh);
          errOld = Math.max(e, 1e-4);
          lastRejected = false;
          // dense output coefficients for the accepted step
          for (let i = 0; i < n; i++) {
            const dy = yNew[i] - y[i];
            const bspl = hh * k1[i] - dy;
            r1[i] = y[i];
            r2[i] = dy;
            r3[i] = bspl;
            r4[i] = dy - hh * k7[i] - bspl;
            r5[i] = hh * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
          }
          tPrev = t;
          hLast = hh;
          t = tNew;
          y.set(yNew);
          const swap = k1; // FSAL: f at the new point is k7
          k1 = k7;
          k7 = swap;
          h = hNew;
          stats.steps++;
          return;
        }
        stats.rejected++;
        lastRejected = true;
        h = Number.isFinite(e) ? hh / Math.min(1 / FAC_MIN, fac11 / SAFE) : hh * 0.1;
      }
    },
    interpolate(tOut, out) {
      if (hLast === 0 || tOut === t) {
        out.set(y);
        return;
      }
      const theta = (tOut - tPrev) / hLast;
      const theta1 = 1 - theta;
      for (let i = 0; i < n; i++) {
        out[i] = r1[i] + theta * (r2[i] + theta1 * (r3[i] + theta * (r4[i] + theta1 * r5[i])));
      }
    },
  };
  return stepper;
}
