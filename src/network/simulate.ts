import { solve, steadyState } from "../solver/solve.ts";
import type { SolverMethod, SolverStats, StepperOptions } from "../solver/types.ts";
import type { CompiledNetwork } from "./compile.ts";

export interface SimulateModelOptions {
  /** end time (default 10, as in Netflux's exported run file) */
  tEnd?: number;
  /** output times (ascending, within [0, tEnd]); default 101 evenly spaced points on [0, tEnd] */
  times?: readonly number[];
  /** integrator: name, or name plus tolerances (default dopri5, rtol 1e-6, atol 1e-9) */
  solver?: SolverMethod | ({ method?: SolverMethod } & StepperOptions);
  /** start state (default: yinit with clamps); Netflux runs are cumulative, so pass the last state to continue */
  y0?: ArrayLike<number>;
  /** times where forcing jumps (doses, input switches) */
  breakpoints?: readonly number[];
}

export interface NetworkSimulation {
  species: readonly string[];
  t: Float64Array;
  /** row-major, times × species */
  y: Float64Array;
  stats: SolverStats;
}

/** One time course of a compiled network; the compiled parameters are used as they are now. */
export function simulateModel(compiled: CompiledNetwork, opts: SimulateModelOptions = {}): NetworkSimulation {
  const times = opts.times ?? evenly(0, opts.tEnd ?? 10, 101);
  const tEnd = opts.tEnd ?? times[times.length - 1];
  const outTimes = times[times.length - 1] < tEnd ? [...times, tEnd] : [...times];
  const y0 = startState(compiled, opts.y0);
  const solver = typeof opts.solver === "string" ? { method: opts.solver } : (opts.solver ?? {});
  const r = solve(compiled, y0, {
    ...solver,
    t0: Math.min(0, outTimes[0]),
    times: outTimes,
    breakpoints: opts.breakpoints,
    autonomous: compiled.forcing === null,
  });
  const n = compiled.size;
  const keep = times.length;
  return { species: compiled.speciesIds, t: r.t.slice(0, keep), y: r.y.slice(0, keep * n), stats: r.stats };
}

export interface NetworkSteadyState {
  y: Float64Array;
  t: number;
  converged: boolean;
  maxRate: number;
  stats: SolverStats;
}

/** Integrate from y0 (default yinit) until max |dy/dt| < tol; the validation scripts' "steady state". */
export function networkSteadyState(
  compiled: CompiledNetwork,
  opts: { y0?: ArrayLike<number>; tol?: number; tMax?: number; method?: SolverMethod } = {},
): NetworkSteadyState {
  return steadyState(compiled, startState(compiled, opts.y0), {
    method: opts.method,
    tol: opts.tol ?? 1e-6,
    tMax: opts.tMax ?? 1e4,
    autonomous: compiled.forcing === null,
  });
}

/** The value of one species at every output time. */
export function speciesSeries(sim: NetworkSimulation, id: string): Float64Array {
  const i = sim.species.indexOf(id);
  if (i < 0) throw new RangeError(`unknown species ${id}`);
  const n = sim.species.length;
  return Float64Array.from({ length: sim.t.length }, (_, k) => sim.y[k * n + i]);
}

function startState(compiled: CompiledNetwork, y0?: ArrayLike<number>): Float64Array {
  const y = compiled.initialState();
  if (y0 !== undefined) {
    if (y0.length !== compiled.size)
      throw new RangeError(`y0 has ${y0.length} values, the model ${compiled.size} species`);
    y.set(y0);
    compiled.applyClamps(y);
  }
  return y;
}

function evenly(a: number, b: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => a + ((b - a) * i) / (count - 1));
}
