import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { InputError } from "../../cli/errors.ts";
import type { NetworkModel, Reaction, Species } from "../../network/model.ts";
import { resolveSpecies } from "../../network/resolve.ts";
import { defaultNetwork } from "../../scenario/simulate.ts";
import { ApiError, HttpError } from "../errors.ts";
import { effectIds, pathsFrom } from "../network-paths.ts";
import {
  IdParam,
  type NetworkReaction,
  NetworkResponse,
  type NetworkSpecies,
  NodeDetail,
  PathsResponse,
} from "../schemas.ts";

/** The signalling network (Figure 2) as plain data; the web app draws it, the simulator compiles it. */
export const networkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/network",
    {
      schema: {
        tags: ["network"],
        summary: "Network species and reactions with their evidence",
        response: { 200: NetworkResponse },
      },
    },
    async () => {
      const model = defaultNetwork();
      return {
        name: model.name,
        time_unit: model.timeUnit,
        modules: [...new Set(model.species.map((s) => s.module ?? "other"))],
        species: model.species.map(speciesView),
        reactions: model.reactions.map(reactionView),
      };
    },
  );

  app.get(
    "/api/network/nodes/:id",
    {
      schema: {
        tags: ["network"],
        summary: "One node with the reactions into and out of it (by id, name or alias)",
        params: IdParam,
        response: { 200: NodeDetail, 400: ApiError, 404: ApiError },
      },
    },
    async (req) => {
      const model = defaultNetwork();
      const s = resolveSpecies(model, req.params.id);
      if (!s) {
        const hint = new InputError(
          "params.id",
          req.params.id,
          model.species.map((x) => x.id),
          "unknown network node",
        );
        throw new HttpError(
          404,
          hint.message.split("\n")[0],
          "params.id",
          model.species.map((x) => x.id),
        );
      }
      return {
        species: speciesView(s),
        inputs: model.reactions.filter((r) => r.product === s.id).map(reactionView),
        outputs: model.reactions.filter((r) => r.reactants.some((x) => x.species === s.id)).map(reactionView),
      };
    },
  );

  app.get(
    "/api/network/paths",
    {
      schema: {
        tags: ["network"],
        summary: "Paths from a node (usually a cargo) to the effect outputs",
        querystring: z.object({
          from: z.string().min(1).max(200).describe("source node: id, name or alias (e.g. miR-23a-3p)"),
          to: z.string().min(1).max(200).optional().describe("one effect node; default: every effect output"),
        }),
        response: { 200: PathsResponse, 400: ApiError },
      },
    },
    async (req) => {
      const model = defaultNetwork();
      const source = requireNode(model, req.query.from, "query.from");
      let targets = effectIds(model);
      if (req.query.to) {
        const t = resolveSpecies(model, req.query.to);
        if (!t || !targets.has(t.id))
          throw new InputError("query.to", req.query.to, [...targets], "not an effect output");
        targets = new Set([t.id]);
      }
      return pathsFrom(model, source.id, targets);
    },
  );
};

function requireNode(model: NetworkModel, name: string, field: string): Species {
  const s = resolveSpecies(model, name);
  if (!s)
    throw new InputError(
      field,
      name,
      model.species.map((x) => x.id),
      "unknown network node",
    );
  return s;
}

function speciesView(s: Species): z.infer<typeof NetworkSpecies> {
  return {
    id: s.id,
    name: s.name,
    module: s.module,
    type: s.type,
    readout: s.readout,
    aliases: s.aliases,
    notes: s.notes,
    evidence: s.evidence as Record<string, unknown>[] | undefined,
  };
}

function reactionView(r: Reaction): z.infer<typeof NetworkReaction> {
  return {
    id: r.id,
    rule: r.rule,
    reactants: r.reactants,
    product: r.product,
    module: r.module,
    W: r.W,
    n: r.n,
    EC50: r.EC50,
    notes: r.notes,
    evidence: r.evidence as Record<string, unknown>[] | undefined,
  };
}
