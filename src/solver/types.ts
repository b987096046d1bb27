/** An ODE system y' = f(t, y) over Float64Array; `rhs` must not allocate. */
export interface OdeSystem {
  readonly size: number;
  rhs(t: number, y: Float64Array, dy: Float64Array): void;
  /** when present, the stiff solver and Newton's method use it instead of finite differences */
  readonly jacobian?: SparseJacobian;
}

/** dopri5: explicit Dormand–Prince 5(4); rosenbrock: Rodas4; rodas3: Rodas3 (stiff, cheaper per step) */
export type SolverMethod = "dopri5" | "rosenbrock" | "rodas3";

export interface StepperOptions {
  rtol?: number;
  atol?: number;
  /** first step size; estimated from the problem when absent */
  h0?: number;
  hMax?: number;
  /** give up after this many steps (accepted + rejected) in one run of a stepper */
  maxSteps?: number;
  /** the rhs does not depend on t: the stiff solver then skips its ∂f/∂t estimate */
  autonomous?: boolean;
}

export interface SolveOptions extends StepperOptions {
  method?: SolverMethod;
  /** start time; defaults to the first output time */
  t0?: number;
  /** output times, ascending; the integration ends at the last one */
  times: ArrayLike<number>;
  /** times where the rhs may jump (doses, input switches): no step crosses them, and the method restarts there */
  breakpoints?: ArrayLike<number>;
  /** state components to report (ascending indices); default all. Output rows then hold only these */
  columns?: Int32Array;
}

export interface SolverStats {
  rhsEvals: number;
  steps: number;
  rejected: number;
  jacobians: number;
}

export interface SolveResult {
  t: Float64Array;
  /** row-major, times × species (× the requested columns when `columns` was given) */
  y: Float64Array;
  stats: SolverStats;
}

/** One integrator with its preallocated workspace; the drivers in `solve.ts` use it step by step. */
export interface Stepper {
  readonly t: number;
  /** state at t */
  readonly y: Float64Array;
  /** f(t, y) at the current point */
  readonly dydt: Float64Array;
  readonly stats: SolverStats;
  /** (re)start at (t, y): evaluates f, forgets the step-size history (used at breakpoints) */
  reset(t: number, y: ArrayLike<number>): void;
  /** advance one accepted step without passing tLimit (landing on it exactly when close) */
  step(tLimit: number): void;
  /**
   * state at tOut within the last step, written into out[offset …): every component, or only
   * `columns` (component columns[c] into out[offset + c])
   */
  interpolate(tOut: number, out: Float64Array, offset?: number, columns?: Int32Array): void;
}

export class SolverError extends Error {
  constructor(
    message: string,
    readonly t: number,
  ) {
    super(`${message} at t = ${t}`);
    this.name = "SolverError";
  }
}

export function newStats(): SolverStats {
  return { rhsEvals: 0, steps: 0, rejected: 0, jacobians: 0 };
}

/** Weighted RMS norm used for error control. */
export function errorNorm(
  err: Float64Array,
  y: Float64Array,
  yNew: Float64Array,
  rtol: number,
  atol: number,
): number {
  const n = err.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
    const e = err[i] / sc;
    sum += e * e;
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
}

/**
 * Starting step size (Hairer, Nørsett & Wanner, Solving ODE I, II.4): a step that keeps the first
 * and second derivative terms below the tolerance. f0 = f(t, y) is given; w1, w2 are scratch.
 */
export function initialStep(
  sys: OdeSystem,
  t: number,
  y: Float64Array,
  f0: Float64Array,
  order: number,
  rtol: number,
  atol: number,
  hMax: number,
  w1: Float64Array,
  w2: Float64Array,
  stats: SolverStats,
): number {
  const n = y.length;
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d0 += (y[i] / sc) ** 2;
    d1 += (f0[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / Math.max(n, 1));
  d1 = Math.sqrt(d1 / Math.max(n, 1));
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  h0 = Math.min(h0, hMax);
  for (let i = 0; i < n; i++) w1[i] = y[i] + h0 * f0[i];
  sys.rhs(t + h0, w1, w2);
  stats.rhsEvals++;
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d2 += ((w2[i] - f0[i]) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / Math.max(n, 1)) / h0;
  const dm = Math.max(d1, d2);
  const h1 = dm <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / dm) ** (1 / (order + 1));
  return Math.min(100 * h0, h1, hMax);
}

/** A sparsity pattern in compressed sparse row form (columns ascending within a row). */
export interface SparsePattern {
  readonly n: number;
  /** row i holds entries rowPtr[i] … rowPtr[i+1]−1 */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
}

/** An analytic Jacobian ∂f/∂y: its pattern (diagonal included) and its values in CSR order. */
export interface SparseJacobian {
  readonly pattern: SparsePattern;
  /**
   * writes ∂f/∂y at (t, y) into values (length = number of pattern entries); with dfdt, also ∂f/∂t
   * when it can (returns true), so the stiff solver skips its own difference quotient. Must not allocate.
   */
  evaluate(t: number, y: Float64Array, values: Float64Array, dfdt?: Float64Array): boolean | void;
}
