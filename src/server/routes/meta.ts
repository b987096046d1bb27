import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listLigands, listRoutes } from "../../delivery/load.ts";
import { INJURIES, SOURCES, SPECIES } from "../../scenario/schema.ts";
import { defaultNetwork } from "../../scenario/simulate.ts";
import { LIMITS } from "../limits.ts";
import { defaultReadouts } from "../readouts.ts";
import { ApiScenario, ReadoutInfo } from "../schemas.ts";

/** What a client needs to build a form: the allowed values of every choice, readouts, limits. */
export const metaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/health",
    { schema: { tags: ["meta"], summary: "Liveness", response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => ({ ok: true as const }),
  );

  app.get(
    "/api/meta",
    {
      schema: {
        tags: ["meta"],
        summary:
          "Allowed values for scenarios (species, injuries, sources, routes, ligands), readouts and limits",
        response: {
          200: z.object({
            species: z.array(z.string()),
            injuries: z.array(z.string()),
            sources: z.array(z.string()),
            routes: z.array(z.object({ id: z.string(), label: z.string(), mode: z.string() })),
            ligands: z.array(z.object({ id: z.string(), label: z.string() })),
            readouts: z.array(ReadoutInfo),
            limits: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async () => ({
      species: [...SPECIES],
      injuries: [...INJURIES],
      sources: [...SOURCES],
      routes: listRoutes().map((r) => ({ id: r.id, label: r.label, mode: r.mode })),
      ligands: listLigands().map((l) => ({ id: l.id, label: l.label })),
      readouts: defaultReadouts(defaultNetwork()),
      limits: { ...LIMITS },
    }),
  );

  app.get(
    "/api/schema/scenario",
    {
      schema: {
        tags: ["meta"],
        summary: "JSON Schema of the Scenario accepted by /api/simulate",
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async () => scenarioJsonSchema(),
  );

  app.get(
    "/api/routes",
    {
      schema: {
        tags: ["delivery"],
        summary: "Delivery routes with their parameters and the review's references",
        response: { 200: z.array(z.record(z.string(), z.unknown())) },
      },
    },
    async () => listRoutes() as unknown as Record<string, unknown>[],
  );
};

/** The Scenario's JSON Schema, inlined (the schema's OpenAPI id would otherwise make it a bare $ref). */
function scenarioJsonSchema(): Record<string, unknown> {
  const js = z.toJSONSchema(ApiScenario, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const defs = js.$defs as Record<string, Record<string, unknown>> | undefined;
  const ref = typeof js.$ref === "string" ? js.$ref.replace("#/$defs/", "") : undefined;
  if (!ref || !defs?.[ref]) return js;
  const { [ref]: root, ...rest } = defs;
  return { $schema: js.$schema, ...root, ...(Object.keys(rest).length ? { $defs: rest } : {}) };
}
