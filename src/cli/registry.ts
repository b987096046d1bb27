import type { Command } from "commander";
import { register as analysis } from "./commands/analysis.ts";
import { register as designs } from "./commands/designs.ts";
import { register as evidence } from "./commands/evidence.ts";
import { register as manufacturing } from "./commands/manufacturing.ts";
import { register as network } from "./commands/network.ts";
import { register as qc } from "./commands/qc.ts";
import { register as routes } from "./commands/routes.ts";
import { register as serve } from "./commands/serve.ts";
import { register as simulate } from "./commands/simulate.ts";
import { register as worker } from "./commands/worker.ts";

/**
 * Every command group lives in its own file under `commands/` and registers itself here with one
 * line, so that work on separate command groups touches separate files.
 */
export function registerCommands(program: Command): void {
  designs(program);
  analysis(program);
  evidence(program);
  manufacturing(program);
  network(program);
  qc(program);
  routes(program);
  serve(program);
  simulate(program);
  worker(program);
}
