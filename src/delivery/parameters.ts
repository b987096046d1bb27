import { InputError } from "../cli/errors.ts";
import { type DeliveryData, type Param, ParamSchema } from "./schema.ts";

/** One parameter of the delivery model, addressed by a stable dotted key. */
export interface ParameterEntry extends Param {
  key: string;
}

function isParam(v: unknown): v is Param {
  return ParamSchema.safeParse(v).success;
}

/** Path segment for an array element: its `id` when it has one, so keys survive reordering. */
function segment(item: unknown, index: number): string {
  if (item && typeof item === "object" && "id" in item && typeof item.id === "string") return item.id;
  return String(index);
}

function walk(node: unknown, path: string[], visit: (key: string, p: Param, holder: object) => void): void {
  if (isParam(node)) {
    visit(path.join("."), node, node);
    return;
  }
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) walk(item, [...path, segment(item, i)], visit);
  } else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) walk(v, [...path, k], visit);
  }
}

/**
 * Every numeric parameter of the delivery model with its range and source, e.g.
 * `routes.systemic.blood_half_life_min`, `routes.routes.peptide-hydrogel.depot.release_half_life_h`,
 * `routes.ligands.CHP.infarct_uptake_multiplier`, `species.species.rat.heart_mass_g`.
 */
export function parameterTable(data: DeliveryData): ParameterEntry[] {
  const out: ParameterEntry[] = [];
  walk(data, [], (key, p) => out.push({ key, ...p }));
  return out;
}

/**
 * A copy of `data` with some parameter values replaced (e.g. one member of a virtual cohort).
 * Unknown keys and non-finite values throw InputError; values outside the documented range are allowed
 * (sensitivity analysis may go there) but must keep their physical sign.
 */
export function withOverrides(
  data: DeliveryData,
  overrides: Record<string, number> | undefined,
): DeliveryData {
  if (!overrides || Object.keys(overrides).length === 0) return data;
  const copy = structuredClone(data);
  const holders = new Map<string, Param>();
  walk(copy, [], (key, _p, holder) => holders.set(key, holder as Param));
  for (const [key, value] of Object.entries(overrides)) {
    const target = holders.get(key);
    if (!target) throw new InputError("parameters", key, [...holders.keys()], "unknown parameter key");
    if (!Number.isFinite(value) || (value < 0 && target.min >= 0)) {
      throw new InputError(
        `parameters.${key}`,
        value,
        [],
        `must be a finite number in the range ${target.min}..${target.max}`,
      );
    }
    target.value = value;
  }
  return copy;
}
