import { existsSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import {
  acceptInterval,
  CALIBRATION_PATH,
  loadCalibrationTargets,
  runCalibration,
  sourceText,
} from "../../analysis/calibrate.ts";
import { type CohortResult, MAX_COHORT, runCohort } from "../../analysis/cohort.ts";
import { fitPosterior } from "../../analysis/fit.ts";
import { runMorris } from "../../analysis/gsa.ts";
import { defaultDesignSpace, optimizeDesign } from "../../analysis/optimize.ts";
import { defaultWorkers } from "../../analysis/pool.ts";
import {
  CALIBRATED_PARAMETERS,
  loadPosterior,
  POSTERIOR_PATH,
  type Posterior,
  staleFiles,
} from "../../analysis/posterior.ts";
import { type PredictiveReport, predictiveReport, unexplainedMisses } from "../../analysis/report.ts";
import { type CohortPayload, cohortResultFrom } from "../../distributed/cohort-handler.ts";
import { runDistributed } from "../../distributed/index.ts";
import { Scenario } from "../../scenario/schema.ts";
import { parseRegimen } from "../../tissue/standard-of-care.ts";
import { InputError } from "../errors.ts";
import { progressBar as progress } from "../progress.ts";
import { allReadouts, loadScenarioFile } from "./simulate.ts";

/** `exomi cohort`, `exomi gsa`, `exomi optimize`, `exomi calibrate`: analyses over many simulations. */

const fmt = (v: number) =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 1e5
      ? v.toExponential(2)
      : Math.abs(v) >= 100
        ? v.toFixed(1)
        : Math.abs(v) >= 1
          ? v.toFixed(2)
          : v.toFixed(4);

function int(name: string, v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new InputError(name, v, [], `an integer from ${lo} to ${hi}`);
  return n;
}

function num(name: string, v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < lo || n > hi)
    throw new InputError(name, v, [], `a number in [${lo}, ${hi}]`);
  return n;
}

function scenarioOrDefault(file: string | undefined): Scenario {
  return file
    ? loadScenarioFile(file)
    : Scenario.parse({
        species: "rat",
        injury: "permanent-ligation",
        therapy: { source: "hucmsc", route: "intravenous" },
      });
}

function readoutList(text: string | undefined): string[] {
  const known = allReadouts();
  if (!text) return known;
  const list = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const r of list) if (!known.includes(r)) throw new InputError("--readouts", r, known);
  return list;
}

function readoutName(v: string): string {
  const known = allReadouts();
  if (!known.includes(v)) throw new InputError("--readout", v, known);
  return v;
}

const workersOption = (v: string | undefined) =>
  v === undefined ? defaultWorkers() : int("--workers", v, 0, 256);

/** Readouts where more is better; the others are minimized by default. */
const HIGHER_IS_BETTER = new Set([
  "lvef",
  "fractional_shortening",
  "capillary_density",
  "angiogenesis",
  "m2_polarization",
  "cm_proliferation",
  "mitophagy",
  "cardiac_exposure",
  "cardiac_retention",
]);

export function register(program: Command): void {
  program
    .command("cohort")
    .description(
      "virtual cohort: patient/animal factors, parameter uncertainty and batch variability; medians and 90% intervals, treated vs untreated",
    )
    .option(
      "--scenario <file>",
      "Scenario JSON with a therapy (default: rat permanent ligation, native HUCMSC-Exos IV)",
    )
    .option("--n <n>", `cohort size (1..${MAX_COHORT})`, "100")
    .option("--seed <s>", "random seed (same seed, same cohort, whatever the number of workers)", "1")
    .option("--at <h>", "readout time in hours (default: the scenario's duration)")
    .option("--readouts <list>", "comma-separated readouts (default: all)")
    .option(
      "--soc <regimen>",
      "standard of care, e.g. reperfusion=3,ace=24,beta=0,antiplatelet=0 (start times, h)",
    )
    .option("--no-patients", "no patient/animal factors")
    .option("--no-uncertainty", "no parameter uncertainty")
    .option("--no-batch", "no manufacturing (batch-to-batch) variability")
    .option("--workers <n>", "worker threads (0 = in this thread; default: all cores)")
    .option(
      "--queue <redis-url>",
      "spread the members over `exomi worker --queue URL` processes (BullMQ on Redis)",
    )
    .option("--chunk <n>", "members per queued chunk (with --queue)", "50")
    .option("--json", "print JSON")
    .action(async (opts) => {
      const scenario = scenarioOrDefault(opts.scenario);
      const n = int("--n", opts.n, 1, MAX_COHORT);
      const seed = int("--seed", opts.seed, 0, 2 ** 32 - 1);
      const at = opts.at === undefined ? scenario.duration_h : num("--at", opts.at, 0, scenario.duration_h);
      const bar = progress("cohort");
      let res: CohortResult;
      const payload: CohortPayload = {
        scenario,
        seed,
        at,
        readouts: readoutList(opts.readouts),
        regimen: parseRegimen(opts.soc),
        patientFactors: opts.patients,
        parameterUncertainty: opts.uncertainty,
        manufacturing: opts.batch,
      };
      const onProgress = (d: number, t: number) => bar.update(d, t);
      if (opts.queue) {
        if (!/^rediss?:\/\//.test(opts.queue))
          throw new InputError("--queue", opts.queue, [], "a redis:// URL");
        const merged = await runDistributed({
          queueUrl: opts.queue,
          jobName: "cohort",
          totalMembers: n,
          chunkSize: int("--chunk", opts.chunk, 1, 100_000),
          payload,
          onProgress,
        });
        res = cohortResultFrom(payload, merged as number[][]);
      } else res = await runCohort({ ...payload, n, workers: workersOption(opts.workers), onProgress });
      bar.stop();
      if (opts.json) {
        console.log(JSON.stringify({ n, seed, at_h: at, scenario, summaries: res.summaries }, null, 2));
        return;
      }
      const iv = (s: { median: number; p5: number; p95: number }) =>
        `${fmt(s.median)} [${fmt(s.p5)}, ${fmt(s.p95)}]`;
      const rows = res.summaries.map((s) => [s.readout, iv(s.untreated), iv(s.treated), iv(s.difference)]);
      const head = [
        "readout",
        "untreated median [5%, 95%]",
        "treated median [5%, 95%]",
        "difference (paired)",
      ];
      const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
      console.log(
        `virtual cohort: n = ${n}, seed = ${seed}, t = ${at} h, ${scenario.species} ${scenario.injury}`,
      );
      console.log(head.map((h, j) => h.padEnd(w[j])).join("  "));
      for (const r of rows)
        console.log(
          r
            .map((c, j) => c.padEnd(w[j]))
            .join("  ")
            .trimEnd(),
        );
    });

  program
    .command("gsa")
    .description(
      "global sensitivity (Morris elementary effects) of a readout to every uncertain parameter, ranked by mu*",
    )
    .requiredOption("--readout <id>", "readout, e.g. lvef, infarct_size, capillary_density")
    .option("--scenario <file>", "Scenario JSON (default: rat permanent ligation, native HUCMSC-Exos IV)")
    .option("--at <h>", "readout time in hours (default: the scenario's duration)")
    .option("--r <n>", "Morris trajectories (cost: r x (parameters + 1) simulations)", "10")
    .option("--params <list>", "only these parameter ids (default: all uncertain parameters)")
    .option("--seed <s>", "random seed", "1")
    .option("--top <n>", "rows to print", "30")
    .option("--workers <n>", "worker threads (0 = in this thread; default: all cores)")
    .option("--json", "print JSON")
    .action(async (opts) => {
      const scenario = scenarioOrDefault(opts.scenario);
      const at = opts.at === undefined ? scenario.duration_h : num("--at", opts.at, 0, scenario.duration_h);
      const bar = progress("gsa");
      const res = await runMorris({
        scenario,
        readout: readoutName(opts.readout),
        at,
        r: int("--r", opts.r, 2, 1000),
        seed: int("--seed", opts.seed, 0, 2 ** 32 - 1),
        only: opts.params
          ? String(opts.params)
              .split(",")
              .map((s: string) => s.trim())
          : undefined,
        workers: workersOption(opts.workers),
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.stop();
      if (opts.json) {
        console.log(JSON.stringify(res, null, 2));
        return;
      }
      const top = int("--top", opts.top, 1, 10000);
      const w = Math.max(9, ...res.rows.map((r) => r.id.length));
      console.log(
        `Morris screening of ${res.readout} at ${res.at} h: r = ${res.r}, ${res.evaluations} simulations; readout spanned ${fmt(res.nominalRange[0])}..${fmt(res.nominalRange[1])}`,
      );
      console.log(
        `effects per whole documented range of each parameter; mu* ranks influence, sigma flags nonlinearity/interactions`,
      );
      console.log(
        `${"parameter".padEnd(w)}  ${"mu*".padStart(10)}  ${"mu".padStart(10)}  ${"sigma".padStart(10)}  ${"basis".padEnd(10)}  range`,
      );
      // what the value rests on: fitted by `calibrate --fit`, a source, or an assumption
      const calibrated = new Set<string>(CALIBRATED_PARAMETERS);
      const basis = (r: (typeof res.rows)[number]) =>
        calibrated.has(r.id) ? "calibrated" : r.source.startsWith("assumption") ? "assumption" : "sourced";
      for (const r of res.rows.slice(0, top))
        console.log(
          `${r.id.padEnd(w)}  ${fmt(r.muStar).padStart(10)}  ${fmt(r.mu).padStart(10)}  ${fmt(r.sigma).padStart(10)}  ${basis(r).padEnd(10)}  ${fmt(r.range[0])}..${fmt(r.range[1])}`,
        );
    });

  program
    .command("optimize")
    .description(
      "search engineering, route, dose, timing and repeat dosing for the design that best improves a readout over a virtual cohort (genetic algorithm)",
    )
    .requiredOption("--objective <readout>", "readout to optimize, e.g. lvef")
    .option("--at <h>", "readout time in hours", "672")
    .option(
      "--scenario <file>",
      "Scenario JSON: species, injury, duration (its therapy is the starting design)",
    )
    .option("--direction <d>", "max or min (default: max for lvef, FS, capillary density ...; min otherwise)")
    .option("--robust <r>", "mean, or a quantile of the cohort on the bad side (e.g. 0.1)", "mean")
    .option("--cohort <n>", "members of the scoring cohort", "8")
    .option("--budget <n>", "candidate designs to evaluate", "60")
    .option("--pop <n>", "population size", "12")
    .option(
      "--constraints <list>",
      "comma list: max-cost-per-dose=USD, max-total-cost=USD, max-doses=N, routes=a|b, method=tff",
    )
    .option("--soc <regimen>", "standard of care for every member, e.g. reperfusion=3,ace=24")
    .option("--seed <s>", "random seed", "1")
    .option("--top <n>", "designs to report", "5")
    .option("--workers <n>", "worker threads (0 = in this thread; default: all cores)")
    .option("--json", "print JSON")
    .action(async (opts) => {
      const base = opts.scenario
        ? loadScenarioFile(opts.scenario)
        : Scenario.parse({ species: "rat", injury: "permanent-ligation" });
      const objective = readoutName(opts.objective);
      const at = num("--at", opts.at, 1e-9, base.duration_h);
      const direction = opts.direction ?? (HIGHER_IS_BETTER.has(objective) ? "max" : "min");
      if (direction !== "max" && direction !== "min")
        throw new InputError("--direction", direction, ["max", "min"]);
      const robust = opts.robust === "mean" ? "mean" : num("--robust", opts.robust, 1e-6, 1 - 1e-6);
      const space = defaultDesignSpace();
      const constraints = { method: "tff" } as {
        method: string;
        maxCostPerDose?: number;
        maxTotalCost?: number;
      };
      for (const part of String(opts.constraints ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [k, v = ""] = part.split("=");
        if (k === "max-cost-per-dose") constraints.maxCostPerDose = num(k, v, 0, 1e9);
        else if (k === "max-total-cost") constraints.maxTotalCost = num(k, v, 0, 1e10);
        else if (k === "max-doses") space.maxDoses = int(k, v, 1, 10);
        else if (k === "method") constraints.method = v;
        else if (k === "routes") {
          const all = [...space.routes];
          space.routes = v.split("|").map((r) => {
            if (!all.includes(r)) throw new InputError("--constraints routes", r, all);
            return r;
          });
        } else
          throw new InputError("--constraints", k, [
            "max-cost-per-dose",
            "max-total-cost",
            "max-doses",
            "routes",
            "method",
          ]);
      }
      const bar = progress("designs");
      const res = await optimizeDesign({
        scenario: base,
        objective,
        at,
        direction,
        robust,
        cohortSize: int("--cohort", opts.cohort, 1, 1000),
        budget: int("--budget", opts.budget, 2, 100000),
        popSize: int("--pop", opts.pop, 2, 1000),
        seed: int("--seed", opts.seed, 0, 2 ** 32 - 1),
        space,
        constraints,
        regimen: parseRegimen(opts.soc),
        top: int("--top", opts.top, 1, 100),
        workers: workersOption(opts.workers),
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.stop();
      if (opts.json) {
        console.log(JSON.stringify(res, null, 2));
        return;
      }
      console.log(
        `${direction}imize ${objective} at ${at} h (${robust === "mean" ? "cohort mean" : `cohort ${robust} quantile`}), ${res.evaluated} distinct designs, ${res.infeasible} infeasible`,
      );
      res.designs.forEach((d, i) => {
        const eng =
          d.therapy.engineering.map((e) => Object.values(e).slice(1).join(" ")).join(", ") || "native";
        const sched = d.therapy.doses
          ? d.therapy.doses.map((x) => `${x.time_h} h`).join(" + ")
          : `${d.therapy.time_h} h`;
        console.log(
          `\n#${i + 1}  score ${fmt(d.score)}  ${objective} median ${fmt(d.outcome.median)} [${fmt(d.outcome.p5)}, ${fmt(d.outcome.p95)}]`,
        );
        console.log(
          `    ${eng}; route ${d.therapy.doses?.[0]?.route ?? d.therapy.route}; ${d.therapy.dose_particles.toExponential(1)} particles at ${sched}`,
        );
        console.log(
          `    cost of goods ${fmt(d.costPerDoseUsd)} USD/dose, ${fmt(d.totalCostUsd)} USD for ${d.doses} dose(s) (${constraints.method})`,
        );
        for (const e of d.evidence)
          console.log(
            `    evidence ${e.component}: ${e.references.slice(0, 4).join("; ") || "none"}${e.references.length > 4 ? ` (+${e.references.length - 4})` : ""}`,
          );
      });
    });

  program
    .command("calibrate")
    .description(
      "calibration against data/calibration.yaml: --report (default) prints each target with the posterior median, 90% predictive interval and z-score; --fit samples the posterior; --nominal the pass/miss view at the data files' values",
    )
    .option(
      "--report",
      "posterior predictive report (default); exit 1 when a target misses without a recorded reason",
    )
    .option("--fit", "sample the posterior of the calibrated parameters (affine-invariant ensemble MCMC)")
    .option("--nominal", "model at the data files' nominal values vs each target's accept interval")
    .option("--posterior <file>", "posterior file to read (--report) or write (--fit)", POSTERIOR_PATH)
    .option("--out <file>", "where --fit writes the posterior (default: --posterior)")
    .option("--draws <n>", "posterior draws the report simulates (evenly spaced)", "200")
    .option(
      "--steps <n>",
      "--fit: ensemble steps (20 walkers x 1500 steps: 5.5 min, 17,334 evaluations, on 2 free cores)",
      "1500",
    )
    .option("--walkers <n>", "--fit: walkers (even; default 2 x parameters + 2)")
    .option("--burn <n>", "--fit: steps discarded as burn-in (default: half)")
    .option("--samples <n>", "--fit: thinned posterior draws kept", "300")
    .option("--seed <s>", "--fit: random seed", "1")
    .option("--workers <n>", "worker threads (0 = in this thread; default: all cores)")
    .option("--failed", "list only missed targets")
    .option("--json", "print JSON")
    .action(async (opts) => {
      if (opts.fit) return calibrateFit(opts);
      if (opts.nominal) return calibrateNominal(opts);
      return calibrateReport(opts);
    });
}

interface CalibrateOpts {
  posterior: string;
  out?: string;
  draws: string;
  steps: string;
  walkers?: string;
  burn?: string;
  samples: string;
  seed: string;
  workers?: string;
  failed?: boolean;
  json?: boolean;
}

async function calibrateFit(opts: CalibrateOpts): Promise<void> {
  const steps = int("--steps", opts.steps, 2, 1_000_000);
  const out = opts.out ?? opts.posterior;
  const t0 = Date.now();
  let lastPrint = Number.NEGATIVE_INFINITY;
  const post = await fitPosterior({
    seed: int("--seed", opts.seed, 0, 2 ** 32 - 1),
    steps,
    walkers: opts.walkers === undefined ? undefined : int("--walkers", opts.walkers, 4, 10_000),
    burn: opts.burn === undefined ? undefined : int("--burn", opts.burn, 0, steps - 1),
    samples: int("--samples", opts.samples, 1, 1_000_000),
    workers: workersOption(opts.workers),
    onStep: (s, n, acc, ev) => {
      // progress on stderr, about every 10 s and at the end (stdout stays for the result)
      const el = (Date.now() - t0) / 1000;
      if (s === n || el - lastPrint >= 10) {
        lastPrint = el;
        process.stderr.write(
          `fit: step ${s}/${n}, acceptance ${acc.toFixed(2)}, ${ev} likelihood evaluations, ${el.toFixed(0)} s, ~${((el / s) * (n - s)).toFixed(0)} s left\n`,
        );
      }
    },
  });
  writeFileSync(out, `${JSON.stringify(post, null, 1)}\n`);
  const pv = post.provenance;
  if (opts.json) {
    console.log(JSON.stringify({ out, provenance: pv, diagnostics: post.diagnostics }, null, 2));
    return;
  }
  console.log(
    `posterior: ${post.draws.length} draws -> ${out}; ${pv.sampler.walkers} walkers x ${pv.sampler.steps} steps (burn ${pv.sampler.burn}, thin ${pv.sampler.thin}), seed ${pv.seed}`,
  );
  console.log(
    `${pv.evaluations} likelihood evaluations in ${pv.wall_seconds.toFixed(0)} s on ${pv.workers} worker(s) (${((1000 * pv.wall_seconds) / Math.max(1, pv.evaluations)).toFixed(0)} ms each); acceptance ${post.diagnostics.acceptance.toFixed(2)}`,
  );
  const kept = pv.sampler.steps - pv.sampler.burn;
  const unconverged = post.parameters.filter((p) => {
    const d = post.diagnostics.parameters[p.id];
    return d.rhat === null || d.rhat > 1.1 || d.tau === null || kept < 50 * d.tau;
  });
  if (unconverged.length > 0)
    console.log(
      `not converged: ${unconverged.length}/${post.parameters.length} parameters have R-hat > 1.1 or fewer than 50 autocorrelation times of kept steps (then tau and ESS are underestimates); run more --steps`,
    );
  const w = Math.max(9, ...post.parameters.map((p) => p.id.length));
  console.log(
    `${"parameter".padEnd(w)}  ${"prior".padEnd(22)}  ${"median".padStart(9)}  ${"90% interval".padEnd(22)}  ${"R-hat".padStart(6)}  ${"ESS".padStart(6)}`,
  );
  for (const p of post.parameters) {
    const d = post.diagnostics.parameters[p.id];
    const f = (x: number | null, k: number) => (x === null ? "n/a" : x.toFixed(k));
    console.log(
      `${p.id.padEnd(w)}  ${`${p.prior === "uniform" ? "U" : "logU"}[${fmt(p.lo)}, ${fmt(p.hi)}]`.padEnd(22)}  ${fmt(d.p50).padStart(9)}  ${`[${fmt(d.p5)}, ${fmt(d.p95)}]`.padEnd(22)}  ${f(d.rhat, 3).padStart(6)}  ${f(d.ess, 0).padStart(6)}`,
    );
  }
}

function calibrateNominal(opts: CalibrateOpts): void {
  const bar = progress("calibration");
  const rows = runCalibration(undefined, { onProgress: (d, t) => bar.update(d, t) });
  bar.stop();
  if (opts.json) {
    console.log(
      JSON.stringify(
        rows.map((r) => ({
          id: r.target.id,
          kind: r.target.kind,
          readout: r.target.readout,
          time_h: r.target.time_h,
          model: r.model,
          target: r.target.target,
          accept: r.accept,
          pass: r.pass,
          literal_ratio_interval: r.literal,
          literal_pass: r.literalPass,
          source: sourceText(r.target.source),
          time_basis: r.target.time_basis ?? null,
        })),
        null,
        2,
      ),
    );
    return;
  }
  const shown = rows.filter((r) => !opts.failed || !r.pass);
  const w = Math.max(2, ...shown.map((r) => r.target.id.length));
  console.log(
    `${"target".padEnd(w)}  ${"kind".padEnd(10)}  ${"model".padStart(9)}  ${"target".padStart(9)}  ${"accept".padEnd(20)}  result  source`,
  );
  for (const r of shown) {
    const [a, b] = acceptInterval(r.target);
    const lit = r.literal ? `  (ratio ±50%: ${r.literalPass ? "pass" : "miss"})` : "";
    console.log(
      `${r.target.id.padEnd(w)}  ${r.target.kind.padEnd(10)}  ${fmt(r.model).padStart(9)}  ${fmt(r.target.target).padStart(9)}  ${`[${fmt(a)}, ${fmt(b)}]`.padEnd(20)}  ${(r.pass ? "pass" : "MISS").padEnd(6)}  ${sourceText(r.target.source)}${lit}`,
    );
  }
  const pass = rows.filter((r) => r.pass).length;
  console.log(
    `\n${pass}/${rows.length} targets reproduced at nominal values. Ratio targets: effect (ratio - 1) within ±50% of the reported effect; the literal "ratio ±50%" verdict is shown in brackets. Times marked as assumptions are in data/calibration.yaml (time_basis).`,
  );
}

async function calibrateReport(opts: CalibrateOpts): Promise<void> {
  const targets = loadCalibrationTargets();
  const post = existsSync(opts.posterior) ? loadPosterior(opts.posterior) : null;
  if (post) {
    const stale = staleFiles(post, CALIBRATION_PATH);
    if (stale.length > 0)
      process.stderr.write(
        `warning: ${stale.join(", ")} changed since the posterior was fitted (${post.provenance.created}, commit ${post.provenance.git_commit.slice(0, 10)}); run \`exomi calibrate --fit\`\n`,
      );
  } else
    process.stderr.write(
      `no posterior at ${opts.posterior}: reporting the nominal values as a single draw (intervals are the observation sd alone); run \`exomi calibrate --fit\`\n`,
    );
  const bar = progress("draws");
  const rep = await predictiveReport(targets, {
    posterior: post,
    draws: int("--draws", opts.draws, 1, 100_000),
    workers: workersOption(opts.workers),
    onProgress: (d, t) => bar.update(d, t),
  });
  bar.stop();
  const failed = unexplainedMisses(rep.rows);
  if (failed.length > 0) process.exitCode = 1;
  const rows = rep.rows.filter((r) => !opts.failed || !r.inside);
  if (opts.json) {
    console.log(
      JSON.stringify(
        {
          basis: rep.basis,
          draws: rep.draws,
          posterior: post ? { file: opts.posterior, ...post.provenance } : null,
          rows: rows.map((r) => ({
            id: r.target.id,
            kind: r.target.kind,
            readout: r.target.readout,
            time_h: r.target.time_h,
            observed: r.target.observed ?? null,
            bound: r.target.bound ?? null,
            model_median: r.median,
            predictive_90: [r.lo, r.hi],
            z: r.z,
            inside: r.inside,
            known_miss_reason: r.reason,
            source: sourceText(r.target.source),
          })),
          unexplained_misses: failed.map((r) => r.target.id),
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(formatReport(rep, post, rows));
}

/** The text table of the predictive report (exported for the report-format test). */
export function formatReport(rep: PredictiveReport, post: Posterior | null, rows = rep.rows): string {
  const lines: string[] = [];
  lines.push(
    rep.basis === "posterior"
      ? `posterior predictive check: ${rep.draws} posterior draws (fit ${post!.provenance.created}, seed ${post!.provenance.seed}, commit ${post!.provenance.git_commit.slice(0, 10)})`
      : "nominal check: the data files' values as a single draw (no posterior)",
  );
  lines.push(
    "90% predictive interval = 5th-95th percentiles of model(draw) + N(0, sd_obs): model spread over the posterior plus the observation sd; bounds: model 5-95% over draws, no noise",
  );
  const w = Math.max(6, ...rows.map((r) => r.target.id.length));
  lines.push(
    `${"target".padEnd(w)}  ${"observed".padEnd(17)}  ${"median".padStart(9)}  ${"90% predictive".padEnd(20)}  ${"z".padStart(6)}  result  reason / source`,
  );
  for (const r of rows) {
    const t = r.target;
    const obs = t.observed
      ? `${fmt(t.observed.mean)} ± ${fmt(t.observed.sd)}`
      : `${t.bound!.min !== undefined ? `>= ${fmt(t.bound!.min)}` : ""}${t.bound!.min !== undefined && t.bound!.max !== undefined ? ", " : ""}${t.bound!.max !== undefined ? `<= ${fmt(t.bound!.max)}` : ""}`;
    const verdict = r.inside ? "inside" : r.reason ? "miss*" : "MISS";
    lines.push(
      `${t.id.padEnd(w)}  ${obs.padEnd(17)}  ${fmt(r.median).padStart(9)}  ${`[${fmt(r.lo)}, ${fmt(r.hi)}]`.padEnd(20)}  ${(Number.isFinite(r.z) ? r.z.toFixed(2) : String(r.z)).padStart(6)}  ${verdict.padEnd(6)}  ${r.inside ? sourceText(t.source) : (r.reason ?? sourceText(t.source))}`,
    );
  }
  const inside = rep.rows.filter((r) => r.inside).length;
  const explained = rep.rows.filter((r) => !r.inside && r.reason).length;
  const failed = unexplainedMisses(rep.rows);
  lines.push(
    `\n${inside}/${rep.rows.length} targets inside their 90% predictive interval; ${explained} known miss(es) with a recorded reason (miss*); ${failed.length} unexplained${failed.length ? `: ${failed.map((r) => r.target.id).join(", ")}` : ""}.`,
  );
  return lines.join("\n");
}
