import type { Command } from "commander";
import { costPerDose } from "../../manufacturing/economics.ts";
import { compareMethods, loadIsolationData } from "../../manufacturing/isolation.ts";
import { sci, textTable } from "../../manufacturing/text-table.ts";
import { InputError } from "../errors.ts";

function positiveNumber(field: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0)
      throw new InputError(field, raw, [], "must be a positive number, e.g. 10 or 1e11");
    return v;
  };
}

/** `exomi isolation …` and `exomi manufacturing …`: methods, yields and cost of goods. */
export function register(program: Command): void {
  const isolation = program
    .command("isolation")
    .description("exosome isolation methods (data/isolation.yaml)");
  isolation
    .command("compare")
    .description(
      "compare isolation methods for a volume of conditioned medium: yield, purity, time, scalability",
    )
    .requiredOption(
      "--volume-l <litres>",
      "litres of conditioned medium to process",
      positiveNumber("volume-l"),
    )
    .option("--data <file>", "isolation data file (default data/isolation.yaml)")
    .option("--json", "print JSON")
    .action((opts: { volumeL: number; data?: string; json?: boolean }) => {
      const data = loadIsolationData(opts.data);
      const rows = compareMethods(data, opts.volumeL);
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      console.log(
        `Processing ${opts.volumeL} L of conditioned medium (central values; ranges in brackets)\n`,
      );
      console.log(
        textTable(
          [
            "method",
            "runs",
            "particles",
            "particles range",
            "p/µg",
            "purity class",
            "hours",
            "hours range",
            "scale",
          ],
          rows.map((r) => [
            r.id,
            String(r.runs),
            sci(r.particles),
            `${sci(r.particlesRange[0], 1)}–${sci(r.particlesRange[1], 1)}`,
            sci(r.purityParticlesPerUg, 1),
            r.purityClass,
            r.hours.toFixed(1),
            `${r.hoursRange[0].toFixed(0)}–${r.hoursRange[1].toFixed(0)}`,
            r.scalability,
          ]),
        ),
      );
      console.log("\nCo-isolated contaminants:");
      for (const r of rows) console.log(`  ${r.id.padEnd(13)} ${r.contaminants.join("; ")}`);
      console.log(
        `\nInput: ${sci(data.economics.conditionedMediumParticlesPerMl.value)} particles/mL of medium (assumption). ` +
          "Purity classes after Webber & Clayton (2013). Sources and assumptions: data/isolation.yaml.",
      );
    });

  const manufacturing = program.command("manufacturing").description("GMP production economics");
  manufacturing
    .command("cost")
    .description("runs and cost of goods per dose for a dose in particles")
    .requiredOption("--dose-particles <n>", "particles per dose, e.g. 1e11", positiveNumber("dose-particles"))
    .option("--method <id>", "isolation method id (see `exomi isolation compare`)", "tff")
    .option("--cell-source <id>", "producing cells: hucmsc or bm-msc", "hucmsc")
    .option("--run-volume-l <litres>", "litres of conditioned medium per run", positiveNumber("run-volume-l"))
    .option("--data <file>", "isolation data file (default data/isolation.yaml)")
    .option("--json", "print JSON")
    .action(
      (opts: {
        doseParticles: number;
        method: string;
        cellSource: string;
        runVolumeL?: number;
        data?: string;
        json?: boolean;
      }) => {
        const data = loadIsolationData(opts.data);
        const est = costPerDose(data, {
          doseParticles: opts.doseParticles,
          method: opts.method,
          cellSource: opts.cellSource,
          runVolumeL: opts.runVolumeL,
        });
        if (opts.json) {
          console.log(JSON.stringify(est, null, 2));
          return;
        }
        const usd = (v: number) => `$${Math.round(v).toLocaleString("en-US")}`;
        const rows: [string, string][] = [
          ["dose", `${sci(est.doseParticles)} particles`],
          ["method / cells", `${est.method} / ${est.cellSource}`],
          ["medium per run", `${est.runVolumeL} L (${est.isolationRuns} isolation run(s))`],
          [
            "particles per run",
            `${sci(est.particlesPerRun)} (usable after QC retain ${sci(est.usableParticlesPerRun)})`,
          ],
          ["days per run", est.daysPerRun.toFixed(1)],
          [
            "cost per run",
            `${usd(est.costPerRunUsd)} (culture ${usd(est.costBreakdownUsd.culture)}, labour ${usd(est.costBreakdownUsd.labour)}, isolation ${usd(est.costBreakdownUsd.isolation)}, release testing ${usd(est.costBreakdownUsd.releaseTesting)})`,
          ],
          [
            "runs per dose",
            est.dosesPerRun >= 1
              ? `${est.runsPerDose.toPrecision(3)} (${est.dosesPerRun} doses per run)`
              : String(est.runsPerDose),
          ],
          [
            "cost per dose",
            `${usd(est.costPerDoseUsd)} (range ${usd(est.costPerDoseRangeUsd[0])}–${usd(est.costPerDoseRangeUsd[1])})`,
          ],
          [
            "review reference",
            `~${sci(est.reference.reviewYieldPerRun, 0)} particles per GMP run (Yang et al., 2019; Buschmann et al., 2021); ` +
              `${usd(est.reference.reviewCostPerDoseUsd[0])}–${usd(est.reference.reviewCostPerDoseUsd[1])} per dose (Aijaz et al., 2018)`,
          ],
        ];
        console.log(textTable(["item", "value"], rows));
      },
    );
}
