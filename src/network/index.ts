/** The network engine: model format, Netflux import/export, SBML export, compile, simulate. */
export { benchNetwork, type NetworkBenchResult } from "./bench.ts";
export { type CompiledNetwork, compileNetwork } from "./compile.ts";
export { evidenceFromText, evidenceToText } from "./evidence-text.ts";
export * from "./model.ts";
export {
  importNetfluxFile,
  type NetfluxImport,
  readNetfluxWorkbook,
  writeNetfluxXlsx,
} from "./netflux-xlsx.ts";
export { nameKeys, resolveSpecies } from "./resolve.ts";
export { formatRule, type ParsedRule, parseRule, RuleSyntaxError } from "./rules.ts";
export { toSbml } from "./sbml.ts";
export {
  type NetworkSimulation,
  type NetworkSteadyState,
  networkSteadyState,
  type SimulateModelOptions,
  simulateModel,
  speciesSeries,
} from "./simulate.ts";
export { formatProblems, type ModelProblem, NetworkValidationError, validateModel } from "./validate.ts";
export { defaultNetworkPath, loadNetworkYaml, parseNetworkYaml } from "./yaml-format.ts";
