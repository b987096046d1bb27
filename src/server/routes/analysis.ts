import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { loadCalibrationTargets, runCalibration } from "../../analysis/calibrate.ts";
import { runCohort } from "../../analysis/cohort.ts";
import { runMorris } from "../../analysis/gsa.ts";
import { optimizeDesign } from "../../analysis/optimize.ts";
import { loadPosterior } from "../../analysis/posterior.ts";
import { predictiveReport } from "../../analysis/report.ts";
import { knockdownSensitivity } from "../../analysis/sensitivity.ts";
import { InputError } from "../../cli/errors.ts";
import { listDesigns } from "../../engineering/designs.ts";
import { Scenario } from "../../scenario/schema.ts";
import { defaultNetwork } from "../../scenario/simulate.ts";
import { ApiError } from "../errors.ts";
import type { JobQueue } from "../jobs.ts";
import { JobView } from "../jobs.ts";
import { defaultReadouts } from "../readouts.ts";

/** The web app's cohort size bound: larger cohorts belong to the CLI (`exomi cohort`, `--queue`). */
export const MAX_WEB_COHORT = 400;

const CohortRequest = z
  .object({
    scenario: Scenario.optional().describe(
      "a Scenario with a therapy (default: rat permanent ligation, native IV)",
    ),
    n: z.number().int().min(1).max(MAX_WEB_COHORT).default(40),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    at_h: z.number().nonnegative().optional().describe("readout time (default: the scenario's duration)"),
    readouts: z.array(z.string()).min(1).max(20).optional(),
  })
  .strict();

const OptimizeRequest = z
  .object({
    objective: z.string().default("lvef"),
    direction: z.enum(["max", "min"]).default("max"),
    at_h: z.number().positive().max(2160).default(672),
    species: z.enum(["mouse", "rat"]).default("rat"),
    injury: z.enum(["permanent-ligation", "ischemia-reperfusion"]).default("permanent-ligation"),
    budget: z.number().int().min(2).max(120).default(24).describe("candidate designs evaluated"),
    cohort: z.number().int().min(1).max(8).default(2).describe("members per candidate (robust score)"),
    robust: z.union([z.literal("mean"), z.number().gt(0).lt(1)]).default("mean"),
    max_cost_per_dose_usd: z.number().positive().optional(),
    method: z.string().default("tff").describe("isolation method priced (data/isolation.yaml)"),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
  })
  .strict();

const DEFAULT_SCENARIO = { species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous" } };

const SensitivityRequest = z
  .object({
    scenario: Scenario.optional().describe("default: rat permanent ligation, native HUCMSC-Exos IV"),
    time_h: z.number().nonnegative().max(2160).default(24),
  })
  .strict();

const GsaRequest = z
  .object({
    scenario: Scenario.optional().describe("default: rat permanent ligation, native HUCMSC-Exos IV"),
    readout: z.string().default("lvef"),
    at_h: z.number().nonnegative().optional().describe("default: the scenario's duration"),
    r: z
      .number()
      .int()
      .min(2)
      .max(8)
      .default(2)
      .describe("Morris trajectories (r × (parameters + 1) simulations)"),
    only: z.array(z.string()).max(50).optional().describe("restrict to these parameter ids"),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
  })
  .strict();

/** Built-in designs, cohorts, sensitivity, the design optimizer and the calibration report (jobs). */
export function analysisRoutes(queue: JobQueue): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/designs",
      {
        schema: {
          tags: ["designs"],
          summary: "The built-in therapy designs (one per engineered row of Tables 1-2)",
          response: { 200: z.array(z.unknown()) },
        },
      },
      async () => listDesigns(),
    );

    app.post(
      "/api/cohort",
      {
        schema: {
          tags: ["analysis"],
          summary: "Start a virtual-cohort job: treated vs untreated medians and 90% intervals",
          body: CohortRequest,
          response: { 202: JobView, 400: ApiError, 429: ApiError },
        },
      },
      async (req, reply) => {
        const body = req.body;
        const scenario = Scenario.parse(
          body.scenario ?? {
            species: "rat",
            injury: "permanent-ligation",
            therapy: { route: "intravenous" },
          },
        );
        if (!scenario.therapy) {
          throw new InputError("body.scenario.therapy", null, [], "a cohort compares treated with untreated");
        }
        const at = body.at_h ?? scenario.duration_h;
        if (at > scenario.duration_h) {
          throw new InputError("body.at_h", at, [], `a time in [0, ${scenario.duration_h}] h`);
        }
        const known = defaultReadouts(defaultNetwork()).map((r) => r.id);
        const readouts = body.readouts ?? ["infarct_size", "lvef", "capillary_density", "collagen_fraction"];
        readouts.forEach((r, i) => {
          if (!known.includes(r)) throw new InputError(`body.readouts.${i}`, r, known);
        });
        const job = queue.submit("cohort", async (ctx) => {
          const res = await runCohort({
            scenario,
            n: body.n,
            seed: body.seed,
            at,
            readouts,
            // worker threads keep the server's event loop free while members are simulated
            onProgress: (d, t) => ctx.progress(d, t, "members"),
          });
          return { n: res.n, seed: res.seed, at_h: res.at, scenario, summaries: res.summaries };
        });
        return reply.code(202).send(job);
      },
    );

    app.post(
      "/api/optimize",
      {
        schema: {
          tags: ["analysis"],
          summary: "Start a design-optimizer job (genetic algorithm over engineering, route, dose, timing)",
          body: OptimizeRequest,
          response: { 202: JobView, 400: ApiError, 429: ApiError },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const known = defaultReadouts(defaultNetwork()).map((r) => r.id);
        if (!known.includes(b.objective)) throw new InputError("body.objective", b.objective, known);
        const scenario = Scenario.parse({ species: b.species, injury: b.injury, duration_h: b.at_h });
        const job = queue.submit("optimize", async (ctx) => {
          const res = await optimizeDesign({
            scenario,
            objective: b.objective,
            at: b.at_h,
            direction: b.direction,
            robust: b.robust,
            cohortSize: b.cohort,
            budget: b.budget,
            seed: b.seed,
            constraints: { method: b.method, maxCostPerDose: b.max_cost_per_dose_usd },
            top: 5,
            onProgress: (d, t) => ctx.progress(d, t, "candidates"),
          });
          return res;
        });
        return reply.code(202).send(job);
      },
    );

    app.post(
      "/api/sensitivity",
      {
        schema: {
          tags: ["analysis"],
          summary:
            "Start a knockdown-sensitivity job: every node's ymax to 0.1, change of every effect output",
          body: SensitivityRequest,
          response: { 202: JobView, 400: ApiError, 429: ApiError },
        },
      },
      async (req, reply) => {
        const scenario = Scenario.parse(req.body.scenario ?? DEFAULT_SCENARIO);
        const t = req.body.time_h;
        if (t > scenario.duration_h)
          throw new InputError("body.time_h", t, [], `a time in [0, ${scenario.duration_h}] h`);
        const job = queue.submit("sensitivity", async (ctx) => {
          await ctx.tick();
          const res = knockdownSensitivity(scenario, t, {
            onProgress: (d, n) => ctx.progress(d, n, "knockdowns"),
          });
          return { time_h: t, effects: res.effects, control: res.control, rows: res.rows };
        });
        return reply.code(202).send(job);
      },
    );

    app.post(
      "/api/gsa",
      {
        schema: {
          tags: ["analysis"],
          summary: "Start a Morris global-sensitivity job for one readout over the uncertain parameters",
          body: GsaRequest,
          response: { 202: JobView, 400: ApiError, 429: ApiError },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const scenario = Scenario.parse(b.scenario ?? DEFAULT_SCENARIO);
        const known = defaultReadouts(defaultNetwork()).map((r) => r.id);
        if (!known.includes(b.readout)) throw new InputError("body.readout", b.readout, known);
        const at = b.at_h ?? scenario.duration_h;
        if (at > scenario.duration_h)
          throw new InputError("body.at_h", at, [], `a time in [0, ${scenario.duration_h}] h`);
        const job = queue.submit("gsa", async (ctx) => {
          return runMorris({
            scenario,
            readout: b.readout,
            at,
            r: b.r,
            seed: b.seed,
            only: b.only,
            onProgress: (d, n) => ctx.progress(d, n, "simulations"),
          });
        });
        return reply.code(202).send(job);
      },
    );

    app.post(
      "/api/calibration",
      {
        schema: {
          tags: ["analysis"],
          summary:
            "Start a calibration-report job: every target of data/calibration.yaml at the data files' nominal values (pass/miss against its accepted range) and, when data/posterior.json exists, its posterior median, 90% predictive interval and z-score",
          response: { 202: JobView, 429: ApiError },
        },
      },
      async (_req, reply) => {
        const job = queue.submit("calibration", async (ctx) => {
          await ctx.tick();
          const rows = runCalibration(undefined, { onProgress: (d, t) => ctx.progress(d, t, "scenarios") });
          // the posterior predictive view, as `exomi calibrate --report` prints it (100 draws keep
          // the job to seconds); null fields without a posterior
          const posterior = loadPosterior();
          const predictive = posterior
            ? await predictiveReport(loadCalibrationTargets(), {
                posterior,
                draws: 100,
                onProgress: (d, t) => ctx.progress(d, t, "posterior draws"),
              })
            : null;
          const byId = new Map(predictive?.rows.map((p) => [p.target.id, p]) ?? []);
          return rows.map((r) => {
            const p = byId.get(r.target.id);
            return {
              id: r.target.id,
              description: r.target.description,
              readout: r.target.readout,
              kind: r.target.kind,
              target: r.target.target,
              model: r.model,
              accept: r.accept,
              pass: r.pass,
              observed: r.target.observed ? { mean: r.target.observed.mean, sd: r.target.observed.sd } : null,
              posterior: p
                ? { median: p.median, lo: p.lo, hi: p.hi, z: p.z, inside: p.inside, reason: p.reason }
                : null,
            };
          });
        });
        return reply.code(202).send(job);
      },
    );
  };
}
