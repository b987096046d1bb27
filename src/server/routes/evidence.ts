import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { loadKnowledgeBase, queryStudies, summarize } from "../../evidence/index.ts";
import { defaultNetwork } from "../../scenario/simulate.ts";
import { ApiError, HttpError } from "../errors.ts";
import { claimPaths } from "../evidence-paths.ts";
import { IdParam, PathsResponse } from "../schemas.ts";

const filterText = z.string().max(200).optional();
const StudyQuery = z
  .object({
    table: z.enum(["1", "2"]).optional().describe("Table 1 (mechanisms) or Table 2 (engineering strategies)"),
    search: filterText.describe("free text; every word must occur in the study"),
    cargo: filterText,
    target: filterText,
    pathway: filterText,
    effect: filterText,
    route: filterText,
    species: filterText,
    model: filterText,
    reference: filterText,
  })
  .strict();

const StudyView = z
  .record(z.string(), z.unknown())
  .describe("a row of Table 1 or 2: verbatim cells + curated fields + claims");

/** The review's evidence (Tables 1–2, references, entities) from the knowledge base. */
export const evidenceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/evidence/summary",
    {
      schema: {
        tags: ["evidence"],
        summary: "Counts of studies, claims, references and entities",
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async () => summarize(loadKnowledgeBase()) as unknown as Record<string, unknown>,
  );

  app.get(
    "/api/evidence/studies",
    {
      schema: {
        tags: ["evidence"],
        summary:
          "Studies of Tables 1–2, filtered (filters accept ids, names or aliases and combine with AND)",
        querystring: StudyQuery,
        response: { 200: z.object({ count: z.number(), studies: z.array(StudyView) }), 400: ApiError },
      },
    },
    async (req) => {
      const { table, ...filters } = req.query;
      const studies = queryStudies(loadKnowledgeBase(), {
        ...filters,
        table: table ? (Number(table) as 1 | 2) : undefined,
      });
      return { count: studies.length, studies: studies as unknown as Record<string, unknown>[] };
    },
  );

  app.get(
    "/api/evidence/studies/:id",
    {
      schema: {
        tags: ["evidence"],
        summary: "One study with its references, named entities and the network path carrying each claim",
        params: IdParam,
        response: {
          200: z.object({
            study: StudyView,
            references: z.array(z.record(z.string(), z.unknown())),
            entities: z.record(z.string(), z.object({ name: z.string(), type: z.string() })),
            node_names: z
              .record(z.string(), z.string())
              .describe("display names of the network nodes on the claim paths"),
            claim_paths: z.array(
              z.object({
                claim: z.string(),
                readout: z.string(),
                effect_node: z.string().optional(),
                path: PathsResponse.shape.effects.element.optional(),
                note: z.string().optional(),
              }),
            ),
          }),
          404: ApiError,
        },
      },
    },
    async (req) => {
      const kb = loadKnowledgeBase();
      const study = kb.studyById.get(req.params.id.toUpperCase());
      if (!study)
        throw new HttpError(404, `no study "${req.params.id}"`, "params.id", [...kb.studyById.keys()]);
      const keys = [study.reference, ...(study.references ?? [])].filter((k): k is string => !!k);
      const references = keys.map((k) => kb.referenceById.get(k)).filter((r) => r !== undefined);
      const entities: Record<string, { name: string; type: string }> = {};
      const ids = [
        ...study.cargo,
        ...study.engineering,
        ...study.targets,
        ...study.pathways,
        ...study.effects,
        ...study.routes,
      ];
      for (const id of ids) {
        const e = kb.entityById.get(id);
        if (e) entities[id] = { name: e.name, type: e.type };
      }
      const model = defaultNetwork();
      const claim_paths = claimPaths(kb, model, study);
      const node_names: Record<string, string> = {};
      for (const id of claim_paths.flatMap((c) => c.path?.nodes ?? [])) {
        node_names[id] = model.species.find((s) => s.id === id)?.name ?? id;
      }
      return {
        study: study as unknown as Record<string, unknown>,
        node_names,
        references: references as unknown as Record<string, unknown>[],
        entities,
        claim_paths,
      };
    },
  );

  app.get(
    "/api/evidence/references",
    {
      schema: {
        tags: ["evidence"],
        summary: "Every reference the review cites, as it cites it",
        response: { 200: z.array(z.record(z.string(), z.unknown())) },
      },
    },
    async () => loadKnowledgeBase().references as unknown as Record<string, unknown>[],
  );

  app.get(
    "/api/evidence/entities",
    {
      schema: {
        tags: ["evidence"],
        summary: "Entities (cargo, targets, pathways, processes, routes …) with aliases",
        querystring: z.object({ type: z.string().max(40).optional() }).strict(),
        response: { 200: z.array(z.record(z.string(), z.unknown())), 400: ApiError },
      },
    },
    async (req) => {
      const kb = loadKnowledgeBase();
      const type = req.query.type;
      if (type && !kb.entities.some((e) => e.type === type)) {
        throw new HttpError(400, `unknown entity type "${type}"`, "query.type", [
          ...new Set(kb.entities.map((e) => e.type)),
        ]);
      }
      return (type ? kb.entities.filter((e) => e.type === type) : kb.entities) as unknown as Record<
        string,
        unknown
      >[];
    },
  );
};
