import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { z } from "zod";
import type { NetworkModel } from "./model.ts";
import { importNetfluxFile } from "./netflux-xlsx.ts";
import { parseRule, RuleSyntaxError } from "./rules.ts";
import { describeReaction, type ModelProblem, validateModel } from "./validate.ts";
import { ContraEvidenceSchema, defaultNetworkPath, EvidenceSchema, parseNetworkYaml } from "./yaml-format.ts";

export interface LoadedModel {
  model: NetworkModel;
  warnings: string[];
  problems: ModelProblem[];
  format: "yaml" | "netflux" | "json";
}

/** The JSON export: a NetworkModel as plain data. Reactants are re-derived from each rule on load. */
const ModelJsonSchema = z.object({
  name: z.string(),
  timeUnit: z.string().optional(),
  species: z.array(
    z.looseObject({ id: z.string(), name: z.string(), yinit: z.number(), ymax: z.number(), tau: z.number() }),
  ),
  reactions: z.array(
    z.looseObject({
      id: z.string(),
      rule: z.string(),
      W: z.number(),
      n: z.number(),
      EC50: z.number(),
      evidence: z.array(EvidenceSchema).optional(),
      against: z.array(ContraEvidenceSchema).optional(),
    }),
  ),
});

/** Load a model from `default` (data/network.yaml), .yaml/.yml, .xlsx/.xls (Netflux) or .json. */
export function loadModelFile(path: string): LoadedModel {
  const file = path === "default" ? defaultNetworkPath() : path;
  const ext = extname(file).toLowerCase();
  if (ext === ".xlsx" || ext === ".xls") return { ...importNetfluxFile(file), format: "netflux" };
  const text = readFileSync(file, "utf8");
  if (ext === ".json") return { ...parseModelJson(text, basename(file, ext)), format: "json" };
  return { ...parseNetworkYaml(text, file), warnings: [], format: "yaml" };
}

function parseModelJson(text: string, name: string): Omit<LoadedModel, "format"> {
  const raw = ModelJsonSchema.parse(JSON.parse(text));
  const problems: ModelProblem[] = [];
  const reactions: NetworkModel["reactions"] = [];
  for (const r of raw.reactions) {
    try {
      const { reactants, product } = parseRule(r.rule, "netflux");
      reactions.push({ ...(r as unknown as NetworkModel["reactions"][number]), reactants, product });
    } catch (err) {
      if (!(err instanceof RuleSyntaxError)) throw err;
      problems.push({ where: describeReaction(r), field: "rule", message: err.message });
    }
  }
  const model = { ...(raw as unknown as NetworkModel), name: raw.name || name, reactions };
  problems.push(...validateModel(model));
  return { model, warnings: [], problems };
}
