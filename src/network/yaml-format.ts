import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";
import { dataFilePath, readDataFile, readTextFile } from "../data/files.ts";
import { NETFLUX_DEFAULTS, type NetworkModel, type Reaction, type Species } from "./model.ts";
import { nameKeys } from "./resolve.ts";
import { parseRule, RuleSyntaxError } from "./rules.ts";
import { describeReaction, type ModelProblem, NetworkValidationError, validateModel } from "./validate.ts";

export { resolveSpecies } from "./resolve.ts";

/** The curated ExoMI network, written by hand and versioned with the code. */
/** The file system path of the bundled network (Node only). */
export function defaultNetworkPath(): string {
  return dataFilePath("network.yaml");
}

export const EvidenceSchema = z.union([
  z.strictObject({ ref: z.string().min(1), note: z.string().optional() }),
  z.strictObject({ source: z.string().min(1), note: z.string().optional() }),
  z.strictObject({ assumption: z.string().min(1), range: z.tuple([z.number(), z.number()]).optional() }),
]);

/** Evidence against an edge (see ContraEvidence): a citation plus what it reports. */
export const ContraEvidenceSchema = z.union([
  z.strictObject({ ref: z.string().min(1), note: z.string().min(1) }),
  z.strictObject({ source: z.string().min(1), note: z.string().min(1) }),
]);

const ParamDefaultsSchema = z.strictObject({
  W: z.number().optional(),
  n: z.number().optional(),
  EC50: z.number().optional(),
  tau: z.number().optional(),
  ymax: z.number().optional(),
  yinit: z.number().optional(),
});

export const YamlSpeciesSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  module: z.string().optional(),
  type: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  tau: z.number().optional(),
  yinit: z.number().optional(),
  ymax: z.number().optional(),
  readout: z.string().optional(),
  location: z.string().optional(),
  notes: z.string().optional(),
  evidence: z.array(EvidenceSchema).optional(),
});

export const YamlReactionSchema = z.strictObject({
  id: z.string().min(1).optional(),
  rule: z.string().min(1),
  W: z.number().optional(),
  n: z.number().optional(),
  EC50: z.number().optional(),
  module: z.string().optional(),
  // required (≥1) but checked with the other semantic rules, so all problems come in one report
  evidence: z.array(EvidenceSchema).optional(),
  against: z.array(ContraEvidenceSchema).min(1).optional(),
  notes: z.string().optional(),
});

export const NetworkFileSchema = z.strictObject({
  name: z.string().min(1),
  time_unit: z.string().optional(),
  defaults: ParamDefaultsSchema.optional(),
  species: z.array(YamlSpeciesSchema),
  reactions: z.array(YamlReactionSchema),
});
export type NetworkFile = z.infer<typeof NetworkFileSchema>;

export interface LoadResult {
  model: NetworkModel;
  problems: ModelProblem[];
}

/** Parse and validate the YAML text of a network file; never throws on content problems. */
export function parseNetworkYaml(text: string, source = "network.yaml"): LoadResult {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? `line ${err.linePos[0].line}` : source;
    return {
      model: emptyModel(source),
      problems: [{ where, field: "yaml", message: (err as Error).message }],
    };
  }
  const parsed = NetworkFileSchema.safeParse(raw);
  if (!parsed.success) {
    return { model: emptyModel(source), problems: parsed.error.issues.map((i) => zodProblem(i, raw)) };
  }
  return buildModel(parsed.data);
}

/** Load `data/network.yaml` (or another file); throws NetworkValidationError listing every problem. */
export function loadNetworkYaml(path?: string): NetworkModel {
  const text = path ? readTextFile(path) : readDataFile("network.yaml");
  const source = path ?? "data/network.yaml";
  const { model, problems } = parseNetworkYaml(text, source);
  if (problems.length > 0) throw new NetworkValidationError(source, problems);
  return model;
}

function buildModel(file: NetworkFile): LoadResult {
  const d = { ...NETFLUX_DEFAULTS, ...file.defaults };
  const problems: ModelProblem[] = [];
  const species: Species[] = file.species.map((s) => ({
    id: s.id,
    name: s.name ?? s.id,
    module: s.module,
    type: s.type,
    aliases: s.aliases,
    yinit: s.yinit ?? d.yinit,
    ymax: s.ymax ?? d.ymax,
    tau: s.tau ?? d.tau,
    readout: s.readout,
    location: s.location,
    notes: s.notes,
    evidence: s.evidence,
  }));
  const reactions: Reaction[] = [];
  file.reactions.forEach((r, k) => {
    const id = r.id ?? `r${k + 1}`;
    let reactants: Reaction["reactants"] = [];
    let product = "";
    try {
      ({ reactants, product } = parseRule(r.rule, "exomi"));
    } catch (err) {
      if (!(err instanceof RuleSyntaxError)) throw err;
      problems.push({ where: describeReaction({ id, rule: r.rule }), field: "rule", message: err.message });
      return;
    }
    reactions.push({
      id,
      rule: r.rule,
      reactants,
      product,
      W: r.W ?? d.W,
      n: r.n ?? d.n,
      EC50: r.EC50 ?? d.EC50,
      module: r.module,
      evidence: r.evidence,
      against: r.against,
      notes: r.notes,
    });
  });
  const model: NetworkModel = { name: file.name, species, reactions, timeUnit: file.time_unit };
  problems.push(...validateModel(model, { requireEvidence: true }), ...aliasCollisions(species));
  // a rule that failed to parse is not in `reactions`, so its evidence is not checked twice
  return { model, problems };
}

/** Ids and aliases must point to one species each, also after normalization (NF-κB = NFKB). */
function aliasCollisions(species: readonly Species[]): ModelProblem[] {
  const owner = new Map<string, string>();
  const problems: ModelProblem[] = [];
  for (const s of species) {
    for (const label of [s.id, ...(s.aliases ?? [])]) {
      for (const key of nameKeys(label)) {
        const other = owner.get(key);
        if (other !== undefined && other !== s.id) {
          problems.push({
            where: `species ${s.id}`,
            field: label === s.id ? "id" : "aliases",
            message: `"${label}" is already used by species ${other}`,
          });
          break;
        }
        owner.set(key, s.id);
      }
    }
  }
  return problems;
}

function zodProblem(issue: z.core.$ZodIssue, raw: unknown): ModelProblem {
  const [section, index, ...rest] = issue.path;
  const list = (raw as Record<string, unknown> | null)?.[String(section)];
  const item =
    Array.isArray(list) && typeof index === "number" ? (list[index] as Record<string, unknown>) : undefined;
  let where = "file";
  if (section === "reactions" && typeof index === "number") {
    where = describeReaction({ id: String(item?.id ?? `r${index + 1}`), rule: String(item?.rule ?? "?") });
  } else if (section === "species" && typeof index === "number") {
    where = `species ${String(item?.id ?? `#${index + 1}`)}`;
  }
  const field = (where === "file" ? issue.path : rest).join(".") || String(section ?? "(root)");
  return { where, field, message: issue.message };
}

function emptyModel(name: string): NetworkModel {
  return { name, species: [], reactions: [] };
}
