import type { ScenarioInput } from "../scenario/schema.ts";
import { type Context, checkScenario, defaultContext, type ScenarioCheck } from "./invariants.ts";

/** Piscina task: check a chunk of scenarios (one context per thread, so baselines are cached across chunks). */
let ctx: Context | undefined;

export default function checkChunk(scenarios: ScenarioInput[]): ScenarioCheck[] {
  ctx ??= defaultContext();
  return scenarios.map((s) => checkScenario(s, ctx));
}
