export { createDopri5 } from "./dopri5.ts";
export { luFactor, luSolve } from "./linalg.ts";
export { createRosenbrock } from "./rosenbrock.ts";
export {
  createStepper,
  type SteadyStateOptions,
  type SteadyStateResult,
  solve,
  steadyState,
} from "./solve.ts";
export * from "./types.ts";
