import type { Command } from "commander";
import { register as analysis } from "./commands/analysis.ts";
import { register as designs } from "./commands/designs.ts";
import { register as evidence } from "./commands/evidence.ts";
import { register as invariants } from "./commands/invariants.ts";
import { register as manufacturing } from "./commands/manufacturing.ts";
import { register as network } from "./commands/network.ts";
import { register as qc } from "./commands/qc.ts";
import { register as routes } from "./commands/routes.ts";
import { register as serve } from "./commands/serve.ts";
import { register as simulate } from "./commands/simulate.ts";
import { register as worker } from "./commands/worker.ts";

/**
 * Every command group lives in its own file under `commands/` and registers itself here with one
 * line. The order is the therapy's own (the review's Figure 3), which is the order `--help` lists:
 * evidence → mechanisms (network, simulation, validation) → delivery and engineering → outcomes and
 * analysis → manufacturing and QC → interfaces.
 */
export function registerCommands(program: Command): void {
  evidence(program);
  network(program);
  simulate(program);
  routes(program);
  designs(program);
  analysis(program);
  invariants(program);
  manufacturing(program);
  qc(program);
  serve(program);
  worker(program);
}
