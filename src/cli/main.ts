import { Command, CommanderError } from "commander";
import { ZodError } from "zod";
import { InputError } from "./errors.ts";
import { registerCommands } from "./registry.ts";

const program = new Command("exomi")
  .description(
    "ExoMI: HUCMSC-exosome therapy for myocardial infarction, made computable.\n" +
      "Evidence knowledge base, mechanistic simulator, delivery and tissue models, QC.",
  )
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

registerCommands(program);

// `exomi … | head` closes stdout early: stop quietly instead of crashing on EPIPE
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // help and version exit 0; a usage error has already been printed by commander
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof InputError) {
    console.error(`exomi: ${err.message}`);
    return 2;
  }
  if (err instanceof ZodError) {
    console.error(`exomi: invalid input\n${formatZodError(err)}`);
    return 2;
  }
  console.error(`exomi: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
}

export function formatZodError(err: ZodError): string {
  return err.issues
    .map((i) => {
      const path = i.path.length > 0 ? i.path.join(".") : "(root)";
      const allowed = "values" in i && Array.isArray(i.values) ? `; allowed: ${i.values.join(", ")}` : "";
      return `  ${path}: ${i.message}${allowed}`;
    })
    .join("\n");
}
