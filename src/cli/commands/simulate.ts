import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { knockdownSensitivity } from "../../analysis/sensitivity.ts";
import { formatValue } from "../format.ts";
import "../../scenario/all-readouts.ts";
import { DERIVED_READOUTS, readoutValue } from "../../scenario/readouts.ts";
import { Scenario } from "../../scenario/schema.ts";
import { defaultNetwork, simulate } from "../../scenario/simulate.ts";
import { InputError, inputErrorFromIssue } from "../errors.ts";
import { progressBar } from "../progress.ts";
import { type SimulateOptions as ModelOptions, runSimulateModel } from "./network.ts";
import { registerValidate } from "./validate.ts";

/** `exomi simulate`, `exomi validate`, `exomi schema`, `exomi sensitivity`: the Scenario commands. */

export function readJsonFile(path: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(field, path, [], "file not found or unreadable");
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(field, path, [], `not valid JSON: ${(e as Error).message}`);
  }
}

export function loadScenarioFile(path: string): Scenario {
  const raw = readJsonFile(path, "scenario file");
  const res = Scenario.safeParse(raw);
  // the first issue, naming the field, the value found there and what is allowed
  if (!res.success) throw inputErrorFromIssue(res.error.issues[0], raw, "", path);
  return res.data;
}

/** The effect outputs of the network plus tissue and delivery readouts. */
export function allReadouts(): string[] {
  const effects = defaultNetwork()
    .species.filter((s) => s.readout)
    .map((s) => s.readout!);
  return [...effects, ...DERIVED_READOUTS];
}

const fmt = formatValue;

export function register(program: Command): void {
  program
    .command("simulate")
    .description(
      "simulate a Scenario (JSON file) and print readout time courses; or a network file with --model",
    )
    .argument("[scenario]", "Scenario JSON file (see `exomi schema scenario`)")
    .option(
      "--readouts <list>",
      "comma-separated readouts or network nodes (default: all effect and tissue readouts)",
    )
    .option(
      "--times <list>",
      "comma-separated output times in hours (default: 0, 6, 24, 72, 168, 336, 672 within the duration)",
    )
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .option("--model <file>", "simulate a Netflux/ExoMI model file instead of a Scenario (Netflux semantics)")
    .option("--tend <t>", "with --model: end time", "10")
    .action((file: string | undefined, opts) => {
      if (opts.model) {
        runSimulateModel(opts.model, {
          tend: opts.tend,
          times: opts.times,
          set: [],
          solver: "dopri5",
          csv: opts.csv,
          json: opts.json,
        } as ModelOptions);
        return;
      }
      if (!file) throw new InputError("scenario", "(none)", [], "give a Scenario JSON file, or --model FILE");
      const scenario = loadScenarioFile(file);
      const readouts = opts.readouts
        ? String(opts.readouts)
            .split(",")
            .map((s: string) => s.trim())
        : allReadouts();
      const times = opts.times
        ? String(opts.times)
            .split(",")
            .map((s: string) => {
              const v = Number(s);
              if (!Number.isFinite(v) || v < 0 || v > scenario.duration_h) {
                throw new InputError(
                  "--times",
                  s,
                  [],
                  `times must be numbers in [0, duration_h = ${scenario.duration_h}]`,
                );
              }
              return v;
            })
        : [0, 6, 24, 72, 168, 336, 672].filter((t) => t <= scenario.duration_h);
      const r = simulate(scenario, { include: times });
      const known = new Set([...allReadouts(), ...r.speciesIds]);
      for (const id of readouts) {
        if (!known.has(id)) {
          try {
            r.at(id, 0);
          } catch {
            throw new InputError("--readouts", id, [...known]);
          }
        }
      }
      const table = readouts.map((id) => ({ id, values: times.map((t) => readoutValue(r, id, t)) }));
      if (opts.json) {
        console.log(
          JSON.stringify(
            {
              scenario,
              times,
              readouts: Object.fromEntries(table.map((x) => [x.id, x.values])),
              stats: r.stats,
            },
            null,
            2,
          ),
        );
      } else if (opts.csv) {
        console.log(["time_h", ...readouts].join(","));
        times.forEach((t, k) => {
          console.log([t, ...table.map((x) => x.values[k])].join(","));
        });
      } else {
        const w = Math.max(8, ...readouts.map((x) => x.length));
        console.log(`${"readout".padEnd(w)}  ${times.map((t) => `${t} h`.padStart(10)).join("")}`);
        for (const x of table)
          console.log(`${x.id.padEnd(w)}  ${x.values.map((v) => fmt(v).padStart(10)).join("")}`);
        console.log(`\n${r.stats.steps} steps, ${r.stats.rhsEvals} right-hand-side evaluations`);
      }
    });

  registerValidate(program);

  program
    .command("schema")
    .description("print a JSON Schema")
    .argument("<name>", "scenario")
    .action((name: string) => {
      if (name !== "scenario") throw new InputError("schema name", name, ["scenario"]);
      console.log(JSON.stringify(z.toJSONSchema(Scenario, { io: "input" }), null, 2));
    });

  program
    .command("sensitivity")
    .description("Netflux-style knockdown of every node (ymax -> 0.1): change of every effect output, ranked")
    .option("--scenario <file>", "Scenario JSON (default: rat permanent ligation with native HUCMSC-Exos IV)")
    .option("--time <h>", "readout time in hours", "24")
    .option("--top <n>", "rows to print", "25")
    .option("--csv <file>", "write the full node x effect matrix as CSV")
    .action(async (opts) => {
      const scenario = opts.scenario
        ? loadScenarioFile(opts.scenario)
        : Scenario.parse({
            species: "rat",
            injury: "permanent-ligation",
            therapy: { source: "hucmsc", route: "intravenous" },
          });
      const t = Number(opts.time);
      if (!Number.isFinite(t) || t < 0 || t > scenario.duration_h) {
        throw new InputError("--time", opts.time, [], `a time in [0, ${scenario.duration_h}] h`);
      }
      const top = Number(opts.top);
      const bar = progressBar("knockdowns");
      const res = knockdownSensitivity(scenario, t, { onProgress: (d, n) => bar.update(d, n) });
      bar.stop();
      if (opts.csv) {
        const { writeFileSync } = await import("node:fs");
        const lines = [["node", ...res.effects].join(",")];
        for (const row of res.rows) lines.push([row.node, ...row.deltas.map((d) => d.toFixed(6))].join(","));
        writeFileSync(opts.csv, `${lines.join("\n")}\n`);
        console.error(`wrote ${opts.csv}`);
      }
      const w = Math.max(6, ...res.rows.map((r) => r.node.length));
      console.log(
        `knockdown sensitivity at t = ${t} h (change of each effect output vs the unperturbed scenario)`,
      );
      console.log(
        `${"node".padEnd(w)}  ${"sum|d|".padStart(7)}  ${res.effects.map((e) => e.slice(0, 9).padStart(10)).join("")}`,
      );
      for (const r of res.rows.slice(0, top)) {
        console.log(
          `${r.node.padEnd(w)}  ${r.total.toFixed(3).padStart(7)}  ${r.deltas.map((d) => d.toFixed(3).padStart(10)).join("")}`,
        );
      }
    });
}
