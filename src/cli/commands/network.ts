import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { compileNetwork } from "../../network/compile.ts";
import { evidenceToText } from "../../network/evidence-text.ts";
import type { NetworkModel, Reaction } from "../../network/model.ts";
import { type LoadedModel, loadModelFile } from "../../network/model-file.ts";
import { writeNetfluxXlsx } from "../../network/netflux-xlsx.ts";
import { resolveSpecies } from "../../network/resolve.ts";
import { toSbml } from "../../network/sbml.ts";
import { simulateModel } from "../../network/simulate.ts";
import { formatProblems } from "../../network/validate.ts";
import type { SolverMethod } from "../../solver/types.ts";
import { InputError } from "../errors.ts";

const FORMATS = ["xlsx", "sbml", "json"] as const;
const SOLVERS: SolverMethod[] = ["dopri5", "rosenbrock", "rodas3"];
const REACTION_PARAMS = ["W", "n", "EC50"] as const;
const SPECIES_PARAMS = ["tau", "ymax", "yinit", "clamp"] as const;

export function register(program: Command): void {
  const network = program
    .command("network")
    .description("signalling network models: import Netflux spreadsheets, export, inspect nodes");

  network
    .command("import")
    .description("read a model (.yaml, Netflux .xlsx/.xls, .json) and report its size and any problems")
    .argument("<file>", "model file")
    .option("--json", "print the summary as JSON")
    .action((file: string, opts: { json?: boolean }) => {
      const loaded = load(file);
      const summary = summarize(loaded);
      if (opts.json) console.log(JSON.stringify(summary, null, 2));
      else printSummary(summary, loaded);
      if (loaded.problems.length > 0) process.exitCode = 2;
    });

  network
    .command("export")
    .description("write a model as a Netflux spreadsheet, SBML Level 3 (rate rules) or JSON")
    .option("--model <file>", 'model file, or "default" for data/network.yaml', "default")
    .requiredOption("--format <format>", `output format (${FORMATS.join(", ")})`)
    .requiredOption("--out <file>", "output file")
    .action((opts: { model: string; format: string; out: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format))
        throw new InputError("--format", opts.format, FORMATS);
      const model = loadValid(opts.model);
      if (opts.format === "xlsx") writeFileSync(opts.out, writeNetfluxXlsx(model));
      else if (opts.format === "sbml") writeFileSync(opts.out, toSbml(model));
      else writeFileSync(opts.out, `${JSON.stringify(model, null, 2)}\n`);
      console.log(
        `wrote ${opts.out} (${opts.format}: ${model.species.length} species, ${model.reactions.length} reactions)`,
      );
    });

  network
    .command("show")
    .description("a node's inputs and outputs with their parameters and evidence")
    .argument("<node>", "species id, name or alias (case, -, _ and Greek letters are ignored)")
    .option("--model <file>", 'model file, or "default" for data/network.yaml', "default")
    .action((node: string, opts: { model: string }) => {
      const model = loadValid(opts.model);
      const s = resolveSpecies(model, node);
      if (!s) {
        throw new InputError(
          "node",
          node,
          model.species.flatMap((x) => [x.id, ...(x.aliases ?? [])]),
          "no such species",
        );
      }
      console.log(`${s.id} — ${s.name}${s.module ? ` [${s.module}${s.type ? `, ${s.type}` : ""}]` : ""}`);
      if (s.aliases?.length) console.log(`aliases: ${s.aliases.join(", ")}`);
      console.log(
        `tau ${s.tau}, ymax ${s.ymax}, yinit ${s.yinit}${s.readout ? `, readout: ${s.readout}` : ""}`,
      );
      if (s.notes) console.log(`notes: ${s.notes}`);
      const inputs = model.reactions.filter((r) => r.product === s.id);
      const outputs = model.reactions.filter((r) => r.reactants.some((x) => x.species === s.id));
      console.log(`\ninputs (${inputs.length}${inputs.length > 1 ? ", OR-ed" : ""}):`);
      for (const r of inputs) printReaction(r);
      if (inputs.length === 0) console.log("  none: f = 0, the node decays to 0 unless clamped");
      console.log(`\noutputs (${outputs.length}):`);
      for (const r of outputs) printReaction(r);
    });

  program
    .command("simulate-model")
    .description("simulate a network model file (Netflux semantics) and print the time course")
    .argument("<file>", 'model file (.yaml, .xlsx, .xls, .json) or "default"')
    .option("--tend <t>", "end time", "10")
    .option("--times <list>", "comma-separated output times (default: 11 points on [0, tend])")
    .option(
      "--set <id.param=value>",
      "change a parameter, repeatable: reaction W/n/EC50 or species tau/ymax/yinit/clamp (e.g. r1.W=1)",
      collect,
      [],
    )
    .option("--solver <method>", `integrator (${SOLVERS.join(", ")})`, "dopri5")
    .option("--species <list>", "comma-separated species to print (default: all)")
    .option("--csv", "print CSV (time, species…)")
    .option("--json", "print JSON")
    .action((file: string, opts: SimulateOptions) => runSimulateModel(file, opts));
}

export interface SimulateOptions {
  tend: string;
  times?: string;
  set: string[];
  solver: string;
  species?: string;
  csv?: boolean;
  json?: boolean;
}

export function runSimulateModel(file: string, opts: SimulateOptions): void {
  const model = loadValid(file);
  const compiled = compileNetwork(model);
  const tEnd = parseNumber("--tend", opts.tend);
  if (!(tEnd > 0)) throw new InputError("--tend", opts.tend, [], "must be > 0");
  const times = opts.times
    ? opts.times.split(",").map((s) => parseNumber("--times", s.trim()))
    : Array.from({ length: 11 }, (_, i) => (tEnd * i) / 10);
  if (times.some((t, i) => t < 0 || (i > 0 && t < times[i - 1]))) {
    throw new InputError("--times", opts.times, [], "times must be ≥ 0 and ascending");
  }
  if (!SOLVERS.includes(opts.solver as SolverMethod)) throw new InputError("--solver", opts.solver, SOLVERS);
  for (const s of opts.set) applySetting(compiled, model, s);
  const shown = opts.species
    ? opts.species.split(",").map((name) => {
        const s = resolveSpecies(model, name.trim());
        if (!s)
          throw new InputError(
            "--species",
            name,
            model.species.map((x) => x.id),
          );
        return s.id;
      })
    : compiled.speciesIds;
  const sim = simulateModel(compiled, {
    tEnd: Math.max(tEnd, times[times.length - 1]),
    times,
    solver: opts.solver as SolverMethod,
  });
  const n = compiled.size;
  const value = (k: number, id: string) => sim.y[k * n + compiled.index.get(id)!];
  if (opts.json) {
    const series = Object.fromEntries(shown.map((id) => [id, Array.from(sim.t, (_, k) => value(k, id))]));
    console.log(
      JSON.stringify({ model: model.name, t: Array.from(sim.t), species: series, stats: sim.stats }, null, 2),
    );
  } else if (opts.csv) {
    console.log(["t", ...shown].join(","));
    sim.t.forEach((t, k) => {
      console.log([t, ...shown.map((id) => value(k, id))].join(","));
    });
  } else {
    const last = sim.t.length - 1;
    console.log(
      `${model.name}: ${n} species, t = ${sim.t[0]} … ${sim.t[last]} (${sim.stats.steps} steps, ${sim.stats.rhsEvals} rhs evaluations)`,
    );
    const width = Math.max(...shown.map((id) => id.length));
    const cols =
      sim.t.length <= 6
        ? [...sim.t.keys()]
        : [0, Math.floor(last / 4), Math.floor(last / 2), Math.floor((3 * last) / 4), last];
    console.log(`${"species".padEnd(width)}  ${cols.map((k) => `t=${fmt(sim.t[k])}`.padStart(9)).join(" ")}`);
    for (const id of shown)
      console.log(`${id.padEnd(width)}  ${cols.map((k) => fmt(value(k, id)).padStart(9)).join(" ")}`);
  }
}

function applySetting(
  compiled: ReturnType<typeof compileNetwork>,
  model: NetworkModel,
  setting: string,
): void {
  const m = /^([^.=]+)\.([A-Za-z0-9]+)=(.+)$/.exec(setting.trim());
  if (!m) throw new InputError("--set", setting, [], "expected ID.PARAM=VALUE, e.g. r1.W=0.5 or AKT.clamp=0");
  const [, id, param, raw] = m;
  const v = parseNumber("--set", raw);
  const r = compiled.reactionIndex.get(id);
  if (r !== undefined) {
    if (!(REACTION_PARAMS as readonly string[]).includes(param))
      throw new InputError("--set parameter", param, REACTION_PARAMS);
    compiled[param as (typeof REACTION_PARAMS)[number]][r] = v;
    return;
  }
  const s = compiled.index.get(id) ?? compiled.index.get(resolveSpecies(model, id)?.id ?? "");
  if (s === undefined)
    throw new InputError("--set id", id, [...compiled.reactionIds, ...compiled.speciesIds]);
  if (!(SPECIES_PARAMS as readonly string[]).includes(param))
    throw new InputError("--set parameter", param, SPECIES_PARAMS);
  compiled[param as (typeof SPECIES_PARAMS)[number]][s] = v;
}

interface Summary {
  name: string;
  format: string;
  species: number;
  reactions: number;
  inputs: { reaction: string; species: string; W: number }[];
  modules: Record<string, number>;
  readouts: string[];
  warnings: string[];
  problems: LoadedModel["problems"];
}

function summarize(loaded: LoadedModel): Summary {
  const { model } = loaded;
  const modules: Record<string, number> = {};
  for (const s of model.species) modules[s.module ?? "(none)"] = (modules[s.module ?? "(none)"] ?? 0) + 1;
  return {
    name: model.name,
    format: loaded.format,
    species: model.species.length,
    reactions: model.reactions.length,
    inputs: model.reactions
      .filter((r) => r.reactants.length === 0)
      .map((r) => ({ reaction: r.id, species: r.product, W: r.W })),
    modules,
    readouts: model.species.filter((s) => s.readout).map((s) => `${s.id} (${s.readout})`),
    warnings: loaded.warnings,
    problems: loaded.problems,
  };
}

function printSummary(s: Summary, loaded: LoadedModel): void {
  console.log(
    `${s.name} (${s.format}): ${s.species} species, ${s.reactions} reactions, ${s.inputs.length} inputs`,
  );
  console.log(
    `modules: ${Object.entries(s.modules)
      .map(([m, k]) => `${m} ${k}`)
      .join(", ")}`,
  );
  console.log(
    `inputs: ${s.inputs.map((i) => `${i.species} (${i.reaction}, W=${i.W})`).join(", ") || "none"}`,
  );
  if (s.readouts.length > 0) console.log(`readouts: ${s.readouts.join(", ")}`);
  if (s.warnings.length > 0)
    console.log(`\nwarnings (${s.warnings.length}):\n${s.warnings.map((w) => `  ${w}`).join("\n")}`);
  if (loaded.problems.length > 0)
    console.log(`\nproblems (${loaded.problems.length}):\n${formatProblems(loaded.problems)}`);
  else console.log("\nvalid: no problems");
}

function printReaction(r: Reaction): void {
  console.log(`  ${r.id}: ${r.rule}   (W ${r.W}, n ${r.n}, EC50 ${r.EC50})`);
  if (r.evidence?.length) console.log(evidenceToText(r.evidence).replace(/^/gm, "      "));
  if (r.notes) console.log(`      notes: ${r.notes}`);
  if (r.extra) {
    const refs = Object.entries(r.extra).map(([k, v]) => `${k}: ${v}`);
    if (refs.length > 0) console.log(`      ${refs.join("; ")}`);
  }
}

function load(file: string): LoadedModel {
  try {
    return loadModelFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new InputError("model file", file, [], "file not found");
    throw err;
  }
}

function loadValid(file: string): NetworkModel {
  const loaded = load(file);
  if (loaded.problems.length > 0) {
    throw new InputError(
      "model file",
      file,
      [],
      `${loaded.problems.length} problem(s):\n${formatProblems(loaded.problems)}`,
    );
  }
  return loaded.model;
}

function parseNumber(field: string, raw: string): number {
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v)) throw new InputError(field, raw, [], "not a number");
  return v;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
    ? v.toExponential(2)
    : String(Number(v.toFixed(4)));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
