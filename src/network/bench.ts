import type { SolverMethod } from "../solver/types.ts";
import type { CompiledNetwork } from "./compile.ts";
import { simulateModel } from "./simulate.ts";

export interface NetworkBenchResult {
  species: number;
  reactions: number;
  method: SolverMethod;
  repeats: number;
  msPerSimulation: number;
  rhsEvalsPerSimulation: number;
  /** microseconds per right-hand-side evaluation, measured on its own */
  usPerRhs: number;
}

/**
 * Micro benchmark of one compiled network: time per simulation over [0, tEnd] (after warm-up, so
 * the JIT has compiled the generated rhs) and time per rhs evaluation. Parameters are used as set.
 */
export function benchNetwork(
  compiled: CompiledNetwork,
  opts: { repeats?: number; tEnd?: number; method?: SolverMethod } = {},
): NetworkBenchResult {
  const repeats = opts.repeats ?? 20;
  const method = opts.method ?? "dopri5";
  const run = () =>
    simulateModel(compiled, { tEnd: opts.tEnd ?? 50, times: [0, opts.tEnd ?? 50], solver: method });
  // a generated rhs of a few hundred lines (and the stepper) is optimized by the JIT only after some
  // thousand calls: warm up on whole simulations first
  const y0 = run().y.subarray(compiled.size);
  const scratch = new Float64Array(compiled.size);
  const warm = performance.now();
  for (let done = 0; done < 30_000 && performance.now() - warm < 5000; ) done += run().stats.rhsEvals;
  let evals = 0;
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) evals += run().stats.rhsEvals;
  const msPerSimulation = (performance.now() - t0) / repeats;

  // y0 is a state away from zero, so every power is computed
  const calls = 2000;
  const t1 = performance.now();
  for (let i = 0; i < calls; i++) compiled.rhs(0, y0, scratch);
  const usPerRhs = ((performance.now() - t1) * 1000) / calls;
  return {
    species: compiled.size,
    reactions: compiled.reactionIds.length,
    method,
    repeats,
    msPerSimulation,
    rhsEvalsPerSimulation: evals / repeats,
    usPerRhs,
  };
}
