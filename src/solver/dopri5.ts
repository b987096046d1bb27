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
  return new Dopri5(sys, opts);
}

/**
 * A class rather than closures: every run shares one set of methods, so the JIT's type feedback and
 * optimized code carry over from one short simulation to the next.
 */
class Dopri5 implements Stepper {
  readonly stats = newStats();
  readonly y: Float64Array;
  t = 0;
  private readonly n: number;
  private readonly rtol: number;
  private readonly atol: number;
  private readonly hMax: number;
  private readonly maxSteps: number;
  private readonly h0: number | undefined;
  private k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private k7: Float64Array;
  private readonly yStage: Float64Array;
  private readonly yNew: Float64Array;
  private readonly err: Float64Array;
  private readonly r1: Float64Array;
  private readonly r2: Float64Array;
  private readonly r3: Float64Array;
  private readonly r4: Float64Array;
  private readonly r5: Float64Array;
  private readonly yOld: Float64Array;
  private denseReady = false;
  private tPrev = 0;
  private hLast = 0;
  private h = 0;
  private errOld = 1e-4;
  private lastRejected = false;

  constructor(
    private readonly sys: OdeSystem,
    opts: StepperOptions,
  ) {
    const n = sys.size;
    this.n = n;
    this.rtol = opts.rtol ?? 1e-6;
    this.atol = opts.atol ?? 1e-9;
    this.hMax = opts.hMax ?? Number.POSITIVE_INFINITY;
    this.maxSteps = opts.maxSteps ?? 1_000_000;
    this.h0 = opts.h0;
    this.y = new Float64Array(n);
    this.k1 = new Float64Array(n);
    this.k2 = new Float64Array(n);
    this.k3 = new Float64Array(n);
    this.k4 = new Float64Array(n);
    this.k5 = new Float64Array(n);
    this.k6 = new Float64Array(n);
    this.k7 = new Float64Array(n);
    this.yStage = new Float64Array(n);
    this.yNew = new Float64Array(n);
    this.err = new Float64Array(n);
    this.r1 = new Float64Array(n);
    this.r2 = new Float64Array(n);
    this.r3 = new Float64Array(n);
    this.r4 = new Float64Array(n);
    this.r5 = new Float64Array(n);
    this.yOld = new Float64Array(n);
  }

  get dydt(): Float64Array {
    return this.k1;
  }

  private f(tt: number, yy: Float64Array, out: Float64Array): void {
    this.sys.rhs(tt, yy, out);
    this.stats.rhsEvals++;
  }

  reset(t0: number, y0: ArrayLike<number>): void {
    this.t = t0;
    this.tPrev = t0;
    if (y0 !== this.y) this.y.set(y0);
    this.f(t0, this.y, this.k1);
    this.h =
      this.h0 ??
      initialStep(
        this.sys,
        t0,
        this.y,
        this.k1,
        5,
        this.rtol,
        this.atol,
        this.hMax,
        this.yStage,
        this.k2,
        this.stats,
      );
    this.errOld = 1e-4;
    this.lastRejected = false;
    this.hLast = 0;
  }

  step(tLimit: number): void {
    const { n, y, k2, k3, k4, k5, k6, yStage, yNew, err, stats } = this;
    for (;;) {
      if (stats.steps + stats.rejected >= this.maxSteps) {
        throw new SolverError(`dopri5: more than ${this.maxSteps} steps`, this.t);
      }
      const t = this.t;
      const k1 = this.k1;
      const k7 = this.k7;
      let hh = Math.min(this.h, this.hMax);
      let landing = false;
      if (t + hh >= tLimit - 1e-12 * Math.max(1, Math.abs(tLimit)) || t + 1.01 * hh >= tLimit) {
        hh = tLimit - t;
        landing = true;
      }
      // stage times stay left of tLimit, so a step ending on a breakpoint sees the rhs from before the jump
      const tLeft = tLimit - Math.abs(tLimit) * Number.EPSILON;
      if (!(hh > 0) || t + hh === t) throw new SolverError("dopri5: step size underflow", t);
      for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * A21 * k1[i];
      this.f(t + C2 * hh, yStage, k2);
      for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * (A31 * k1[i] + A32 * k2[i]);
      this.f(t + C3 * hh, yStage, k3);
      for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
      this.f(t + C4 * hh, yStage, k4);
      for (let i = 0; i < n; i++) {
        yStage[i] = y[i] + hh * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
      }
      this.f(t + C5 * hh, yStage, k5);
      for (let i = 0; i < n; i++) {
        yStage[i] = y[i] + hh * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
      }
      const tNew = landing ? tLimit : t + hh;
      const tEnd = landing ? Math.max(t, tLeft) : tNew;
      this.f(tEnd, yStage, k6);
      for (let i = 0; i < n; i++) {
        yNew[i] = y[i] + hh * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
      }
      this.f(tEnd, yNew, k7);
      for (let i = 0; i < n; i++) {
        err[i] = hh * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      }
      const e = errorNorm(err, y, yNew, this.rtol, this.atol);
      const fac11 = e ** EXPO1;
      if (e <= 1 && Number.isFinite(e)) {
        // PI control: the previous error damps the change of step size
        let fac = fac11 / this.errOld ** BETA;
        fac = Math.max(1 / FAC_MAX, Math.min(1 / FAC_MIN, fac / SAFE));
        let hNew = hh / fac;
        if (this.lastRejected) hNew = Math.min(hNew, hh);
        this.errOld = Math.max(e, 1e-4);
        this.lastRejected = false;
        // dense output is built on demand (interpolate): most steps have no output time in them
        this.yOld.set(y);
        this.denseReady = false;
        this.tPrev = t;
        this.hLast = hh;
        this.t = tNew;
        y.set(yNew);
        this.k1 = k7; // FSAL: f at the new point is k7
        this.k7 = k1;
        this.h = hNew;
        stats.steps++;
        return;
      }
      stats.rejected++;
      this.lastRejected = true;
      this.h = Number.isFinite(e) ? hh / Math.min(1 / FAC_MIN, fac11 / SAFE) : hh * 0.1;
    }
  }

  /** dense output coefficients of the last accepted step (Hairer's dopri5 CONTD5) */
  private buildDense(): void {
    const { n, r1, r2, r3, r4, r5, yOld, y, k3, k4, k5, k6 } = this;
    // after the FSAL swap, k7 holds the step's first stage and k1 its last
    const first = this.k7;
    const last = this.k1;
    const hh = this.hLast;
    for (let i = 0; i < n; i++) {
      const dy = y[i] - yOld[i];
      const bspl = hh * first[i] - dy;
      r1[i] = yOld[i];
      r2[i] = dy;
      r3[i] = bspl;
      r4[i] = dy - hh * last[i] - bspl;
      r5[i] = hh * (D1 * first[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * last[i]);
    }
    this.denseReady = true;
  }

  interpolate(tOut: number, out: Float64Array, offset = 0, columns?: Int32Array): void {
    const { n, r1, r2, r3, r4, r5 } = this;
    const m = columns ? columns.length : n;
    if (this.hLast === 0 || tOut === this.t) {
      for (let c = 0; c < m; c++) out[offset + c] = this.y[columns ? columns[c] : c];
      return;
    }
    if (!this.denseReady) this.buildDense();
    const theta = (tOut - this.tPrev) / this.hLast;
    const theta1 = 1 - theta;
    for (let c = 0; c < m; c++) {
      const i = columns ? columns[c] : c;
      out[offset + c] = r1[i] + theta * (r2[i] + theta1 * (r3[i] + theta * (r4[i] + theta1 * r5[i])));
    }
  }
}
