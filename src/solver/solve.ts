import { createDopri5 } from "./dopri5.ts";
import { createRosenbrock, TABLEAUS } from "./rosenbrock.ts";
import type { OdeSystem, SolveOptions, SolveResult, SolverMethod, Stepper, StepperOptions } from "./types.ts";

export function createStepper(sys: OdeSystem, method: SolverMethod, opts: StepperOptions): Stepper {
  if (method === "dopri5") return createDopri5(sys, opts);
  if (!(method in TABLEAUS))
    throw new RangeError(`unknown solver method ${method}: dopri5, rosenbrock or rodas3`);
  return createRosenbrock(sys, opts, TABLEAUS[method]);
}

/**
 * Integrate `sys` from y0 and report the state at each requested time. Never steps across a
 * breakpoint: it lands on it and restarts there (fresh f, fresh step size), so a dose or an input
 * switch at a breakpoint is resolved exactly. Output arrays are allocated before the loop.
 */
export function solve(sys: OdeSystem, y0: ArrayLike<number>, opts: SolveOptions): SolveResult {
  const n = sys.size;
  const times = Float64Array.from(opts.times);
  const nt = times.length;
  if (y0.length !== n) throw new RangeError(`y0 has length ${y0.length}, the system has ${n} states`);
  if (nt === 0) throw new RangeError("times: at least one output time is needed");
  for (let k = 1; k < nt; k++) {
    if (!(times[k] >= times[k - 1]))
      throw new RangeError(`times must be ascending: ${times[k - 1]} then ${times[k]}`);
  }
  const t0 = opts.t0 ?? times[0];
  if (!(times[0] >= t0)) throw new RangeError(`times start at ${times[0]}, before t0 = ${t0}`);
  const tEnd = times[nt - 1];
  const stops = [...new Set(Array.from(opts.breakpoints ?? []))]
    .filter((b) => b > t0 && b < tEnd)
    .sort((a, b) => a - b);
  stops.push(tEnd);

  const columns = opts.columns;
  const width = columns ? columns.length : n;
  if (columns)
    for (let c = 0; c < width; c++)
      if (!(columns[c] >= 0 && columns[c] < n && (c === 0 || columns[c] > columns[c - 1])))
        throw new RangeError(`columns must be ascending state indices below ${n}`);
  const out = new Float64Array(nt * width);
  const stepper = createStepper(sys, opts.method ?? "dopri5", opts);
  stepper.reset(t0, y0);
  let k = 0;
  while (k < nt && times[k] === t0) stepper.interpolate(t0, out, width * k++, columns);
  for (let s = 0; s < stops.length; s++) {
    const tb = stops[s];
    while (stepper.t < tb) {
      stepper.step(tb);
      while (k < nt && times[k] <= stepper.t) stepper.interpolate(times[k], out, width * k++, columns);
    }
    if (s < stops.length - 1) stepper.reset(tb, stepper.y);
  }
  return { t: times, y: out, stats: { ...stepper.stats } };
}

export interface SteadyStateOptions extends StepperOptions {
  method?: SolverMethod;
  t0?: number;
  /** converged when max |dy/dt| < tol */
  tol?: number;
  /** give up (converged = false) at this time */
  tMax?: number;
}

export interface SteadyStateResult {
  y: Float64Array;
  t: number;
  converged: boolean;
  /** max |dy/dt| at the returned state */
  maxRate: number;
  stats: SolveResult["stats"];
}

/** Integrate until max |dy/dt| < tol (or until tMax), returning the final state. */
export function steadyState(
  sys: OdeSystem,
  y0: ArrayLike<number>,
  opts: SteadyStateOptions = {},
): SteadyStateResult {
  const tol = opts.tol ?? 1e-6;
  const t0 = opts.t0 ?? 0;
  const tMax = opts.tMax ?? 1e4;
  // an explicit method near its stability limit leaves rate noise of about rtol·|y|/h: integration
  // tolerances tied to tol keep that noise below the convergence test
  const rtol = opts.rtol ?? Math.max(1e-12, Math.min(1e-6, tol * 1e-2));
  const atol = opts.atol ?? Math.min(1e-9, tol * 1e-3);
  const stepper = createStepper(sys, opts.method ?? "dopri5", { ...opts, rtol, atol });
  stepper.reset(t0, y0);
  let rate = maxAbs(stepper.dydt);
  while (rate >= tol && stepper.t < tMax) {
    stepper.step(tMax);
    rate = maxAbs(stepper.dydt);
  }
  return {
    y: Float64Array.from(stepper.y),
    t: stepper.t,
    converged: rate < tol,
    maxRate: rate,
    stats: { ...stepper.stats },
  };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (Number.isNaN(a)) return Number.POSITIVE_INFINITY; // never "converged" on NaN
    if (a > m) m = a;
  }
  return m;
}
