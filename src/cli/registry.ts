import type { Command } from "commander";
import { register as evidence } from "./commands/evidence.ts";

/**
 * Every command group lives in its own file under `commands/` and registers itself here with one
 * line, so that work on separate command groups touches separate files.
 */
export function registerCommands(program: Command): void {
  evidence(program);
}
