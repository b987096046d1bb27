import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { InputError } from "../../cli/errors.ts";
import { designFromTherapy, loadCargoFile } from "../../engineering/cargo.ts";
import { readoutValue } from "../../scenario/readouts.ts";
import { Scenario } from "../../scenario/schema.ts";
import { defaultNetwork, simulate } from "../../scenario/simulate.ts";
import { ApiError } from "../errors.ts";
import { readoutSeries, resolveReadouts } from "../readouts.ts";
import {
  CompareRequest,
  DesignProfileRequest,
  ReadoutInfo,
  SimulateRequest,
  SimulateResponse,
} from "../schemas.ts";

/** Scenario simulation: one design's time courses, several designs side by side, a design's cargo. */
export const simulationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/api/simulate",
    {
      schema: {
        tags: ["simulation"],
        summary: "Simulate one scenario and return the readouts' time courses",
        body: SimulateRequest,
        response: { 200: SimulateResponse, 400: ApiError },
      },
    },
    async (req) => {
      const model = defaultNetwork();
      const readouts = resolveReadouts(model, req.body.readouts);
      const scenario = Scenario.parse(req.body.scenario);
      const times = req.body.times
        ? checkedTimes(req.body.times, scenario.duration_h, "body.times")
        : undefined;
      const t0 = performance.now();
      const result = simulate(scenario, { times });
      const series = readoutSeries(result, readouts);
      return {
        scenario,
        time_unit: "h" as const,
        times: Array.from(result.times),
        readouts,
        series,
        compute_ms: performance.now() - t0,
        solver: { ...result.stats },
      };
    },
  );

  app.post(
    "/api/compare",
    {
      schema: {
        tags: ["simulation"],
        summary: "Simulate up to four designs and tabulate readouts at chosen times",
        body: CompareRequest,
        response: {
          200: z.object({
            readouts: z.array(ReadoutInfo),
            times: z.array(z.number()),
            designs: z.array(
              z.object({
                label: z.string(),
                scenario: z.unknown(),
                values: z.record(z.string(), z.array(z.number())).describe("readout → value at each time"),
              }),
            ),
          }),
          400: ApiError,
        },
      },
    },
    async (req) => {
      const model = defaultNetwork();
      const readouts = resolveReadouts(model, req.body.readouts);
      const designs = req.body.designs.map((d, i) => {
        const scenario = Scenario.parse(d.scenario);
        const times = checkedTimes(req.body.times, scenario.duration_h, "body.times");
        const result = simulate(scenario, { include: times });
        const values: Record<string, number[]> = {};
        for (const r of readouts) values[r.id] = times.map((t) => readoutValue(result, r.node ?? r.id, t));
        return { label: d.label ?? `design ${i + 1}`, scenario, values };
      });
      return { readouts, times: req.body.times, designs };
    },
  );

  app.post(
    "/api/designs/profile",
    {
      schema: {
        tags: ["designs"],
        summary:
          "Cargo profile of a therapy design (which cargo reaches recipient cells, relative level 0–1)",
        body: DesignProfileRequest,
        response: {
          200: z.object({
            cargo: z.array(z.object({ id: z.string(), name: z.string(), level: z.number() })),
            ligands: z.array(z.string()),
            K: z.number(),
          }),
          400: ApiError,
        },
      },
    },
    async (req) => {
      const model = defaultNetwork();
      const therapy = Scenario.parse({ therapy: req.body.therapy }).therapy!;
      const design = designFromTherapy(model, therapy);
      const cargo = [...design.profile.entries()]
        .map(([id, level]) => ({ id, name: model.species.find((s) => s.id === id)?.name ?? id, level }))
        .sort((a, b) => b.level - a.level || a.name.localeCompare(b.name));
      return { cargo, ligands: design.ligands, K: design.K };
    },
  );

  app.get(
    "/api/designs/options",
    {
      schema: {
        tags: ["designs"],
        summary:
          "Engineering options of a therapy design: genes to overexpress, molecules to load, preconditioning",
        response: {
          200: z.object({
            sources: z.array(z.object({ id: z.string(), name: z.string() })),
            overexpress: z.array(z.string()),
            load: z.array(z.object({ id: z.string(), name: z.string() })),
            precondition: z.array(z.string()),
          }),
        },
      },
    },
    async () => {
      const file = loadCargoFile();
      const model = defaultNetwork();
      return {
        sources: Object.entries(file.sources).map(([id, s]) => ({ id, name: s.name })),
        overexpress: Object.keys(file.engineering.overexpress),
        load: model.species.filter((s) => s.module === "cargo").map((s) => ({ id: s.id, name: s.name })),
        precondition: Object.keys(file.engineering.precondition),
      };
    },
  );
};

function checkedTimes(times: number[], duration: number, field: string): number[] {
  const bad = times.findIndex((t) => t > duration);
  if (bad >= 0)
    throw new InputError(
      `${field}.${bad}`,
      times[bad],
      [],
      `output time beyond scenario.duration_h = ${duration} h`,
    );
  return [...new Set(times)].sort((a, b) => a - b);
}
