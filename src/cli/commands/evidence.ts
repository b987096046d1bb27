import type { Command } from "commander";

export function register(program: Command): void {
  const evidence = program.command("evidence").description("query the review's evidence knowledge base");
  evidence
    .command("summary")
    .description("overview of the knowledge base")
    .action(() => {
      console.log("evidence knowledge base: not yet loaded");
    });
}
