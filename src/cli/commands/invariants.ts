import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { InputError } from "../errors.ts";
import { progressBar } from "../progress.ts";

/**
 * `exomi check-invariants`: random valid scenarios against the physiological and numerical
 * invariants (src/analysis/invariants.ts). Exit 0 when every scenario satisfies every invariant,
 * 1 when any is violated, 2 on bad arguments. The simulator is imported only when the command runs.
 */

const MAX_N = 1_000_000;

function intOption(flag: string, v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < lo || n > hi)
    throw new InputError(flag, v, [], `an integer from ${lo} to ${hi}`);
  return n;
}

export function register(program: Command): void {
  program
    .command("check-invariants")
    .description(
      "check physiological and numerical invariants over random valid scenarios (every species, injury, route, design, source, dose, timing, schedule)",
    )
    .option("--n <n>", `number of scenarios (1..${MAX_N})`, "200")
    .option("--seed <s>", "random seed (same seed, same scenarios)", "1")
    .option("--workers <n>", "worker threads (0 = in this thread; default: all cores)")
    .option("--json", "print the report as JSON")
    .option("--out <file>", "also write the JSON report to a file")
    .action(async (opts) => {
      const n = intOption("--n", String(opts.n), 1, MAX_N);
      const seed = intOption("--seed", String(opts.seed), 0, 2 ** 31 - 1);
      const workers =
        opts.workers === undefined
          ? availableParallelism()
          : intOption("--workers", String(opts.workers), 0, 256);
      const { runInvariantCheck } = await import("../../analysis/invariants-run.ts");
      const bar = progressBar("scenarios");
      const rep = await runInvariantCheck({ n, seed, workers, onProgress: (d, t) => bar.update(d, t) });
      bar.stop();
      const json = JSON.stringify(rep, null, 2);
      if (opts.out) {
        const { writeFileSync } = await import("node:fs");
        try {
          writeFileSync(opts.out, `${json}\n`);
        } catch (e) {
          throw new InputError("--out", opts.out, [], `cannot write: ${(e as Error).message}`);
        }
        console.error(`wrote ${opts.out}`);
      }
      if (opts.json) console.log(json);
      else {
        for (const f of rep.failures) {
          console.log(`scenario ${JSON.stringify(f.scenario)}`);
          for (const v of f.violations) {
            const more = v.count > v.messages.length ? ` (… ${v.count} in all)` : "";
            console.log(`  ${v.invariant}: ${v.messages.join("; ")}${more}`);
          }
        }
        if (rep.failures.length > 0) console.log("");
        const w = Math.max(...Object.keys(rep.counts).map((k) => k.length));
        console.log(`${"invariant".padEnd(w)}  ${"violated in".padStart(11)}  description`);
        for (const [id, c] of Object.entries(rep.counts))
          console.log(`${id.padEnd(w)}  ${String(c).padStart(11)}  ${rep.descriptions[id]}`);
        console.log(`\nseed ${rep.seed}, ${rep.elapsed_s.toFixed(1)} s`);
        console.log(`${rep.passed}/${rep.n} scenarios satisfy every invariant`);
      }
      process.exitCode = rep.passed === rep.n ? 0 : 1;
    });
}
