import { InputError } from "../core/errors.ts";
import type { DeliveryData, Param } from "./schema.ts";

/** One parameter of the delivery model, addressed by a stable dotted key. */
export interface ParameterEntry extends Param {
  key: string;
}

const BASES: ReadonlySet<unknown> = new Set(["sourced", "derived", "assumption"]);

/**
 * Exactly what ParamSchema (schema.ts) accepts, written out: the walk below visits every node of the
 * data, and a zod safeParse per node (failing on most) made each virtual-cohort member's overrides cost
 * ~1 ms.
 */
function isParam(v: unknown): v is Param {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const p = v as Record<string, unknown>;
  const { value, min, max, unit, basis, source, allometric } = p;
  return (
    typeof value === "number" &&
    typeof min === "number" &&
    typeof max === "number" &&
    Number.isFinite(value) &&
    Number.isFinite(min) &&
    Number.isFinite(max) &&
    typeof unit === "string" &&
    unit.length >= 1 &&
    BASES.has(basis) &&
    typeof source === "string" &&
    source.length >= 3 &&
    (allometric === undefined || typeof allometric === "boolean") &&
    min <= value &&
    value <= max
  );
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

type Path = (string | number)[];

/** Where every parameter of one top-level part of the data sits: key → property path (from the part). */
const sitesCache = new WeakMap<object, Map<string, Path>>();

/** Every parameter's site from the data root, per root object (the loaded data are one shared object; data are never mutated in place, as above). */
const rootSitesCache = new WeakMap<object, Map<string, Path>>();

/** key → property path from the data root, in walk order (a repeated key keeps its last site). */
function sitesOf(data: DeliveryData): Map<string, Path> {
  let all = rootSitesCache.get(data);
  if (all) return all;
  all = new Map<string, Path>();
  for (const [part, node] of Object.entries(data)) {
    if (!node || typeof node !== "object") continue;
    let sites = sitesCache.get(node);
    if (!sites) {
      const found = new Map<string, Path>();
      const visit = (n: unknown, keyPath: string[], path: Path): void => {
        if (isParam(n)) {
          found.set(keyPath.join("."), path);
          return;
        }
        if (Array.isArray(n)) {
          for (const [i, item] of n.entries()) visit(item, [...keyPath, segment(item, i)], [...path, i]);
        } else if (n && typeof n === "object") {
          for (const [k, v] of Object.entries(n)) visit(v, [...keyPath, k], [...path, k]);
        }
      };
      visit(node, [part], []);
      sites = found;
      // the loaded data are never mutated (withOverrides copies), so their sites can be reused
      sitesCache.set(node, sites);
    }
    for (const [key, path] of sites) all.set(key, [part, ...path]);
  }
  rootSitesCache.set(data, all);
  return all;
}

function checkedOverride(sites: Map<string, Path>, data: DeliveryData, key: string, value: number): Path {
  const path = sites.get(key);
  if (!path) throw new InputError("parameters", key, [...sites.keys()], "unknown parameter key");
  let target: unknown = data;
  for (const seg of path) target = (target as Record<string | number, unknown>)[seg];
  const p = target as Param;
  if (!Number.isFinite(value) || (value < 0 && p.min >= 0)) {
    throw new InputError(
      `parameters.${key}`,
      value,
      [],
      `must be a finite number in the range ${p.min}..${p.max}`,
    );
  }
  return path;
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
  const sites = sitesOf(data);
  const copy = structuredClone(data);
  for (const [key, value] of Object.entries(overrides)) {
    const path = checkedOverride(sites, copy, key, value);
    let target: unknown = copy;
    for (const seg of path) target = (target as Record<string | number, unknown>)[seg];
    (target as Param).value = value;
  }
  return copy;
}

/**
 * Like withOverrides, but the result shares everything not on an overridden parameter's path with
 * `data`: only the objects and arrays along those paths are copied. For read-only use (simulateDelivery
 * compiles the model from it and drops it): a deep copy of the data per cohort member cost more than
 * the whole pharmacokinetic solution.
 */
export function withOverridesShared(
  data: DeliveryData,
  overrides: Record<string, number> | undefined,
): DeliveryData {
  if (!overrides || Object.keys(overrides).length === 0) return data;
  const sites = sitesOf(data);
  const root: Record<string | number, unknown> = { ...data };
  const copied = new Set<unknown>([root]);
  for (const [key, value] of Object.entries(overrides)) {
    const path = checkedOverride(sites, root as unknown as DeliveryData, key, value);
    let holder = root;
    for (let i = 0; i < path.length; i++) {
      const child = holder[path[i]];
      if (i === path.length - 1) {
        holder[path[i]] = { ...(child as Param), value };
        break;
      }
      if (!copied.has(child)) {
        const clone = Array.isArray(child) ? child.slice() : { ...(child as object) };
        copied.add(clone);
        holder[path[i]] = clone;
        holder = clone as Record<string | number, unknown>;
      } else holder = child as Record<string | number, unknown>;
    }
  }
  return root as unknown as DeliveryData;
}
