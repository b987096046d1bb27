import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { type LigandId, loadDeliveryData, ROUTE_IDS, type RouteId } from "../delivery/index.ts";
import { normalizeInput } from "../delivery/validate.ts";
import { designFromTherapy } from "../engineering/cargo.ts";
import type { NetworkModel } from "../network/model.ts";
import { resolveSpecies } from "../network/resolve.ts";
import { Scenario } from "../scenario/schema.ts";
import { defaultNetwork, type SimulateOptions, simulate, therapyDoses } from "../scenario/simulate.ts";
import "../scenario/all-readouts.ts";
import { DERIVED_READOUTS, isDerivedReadout, readoutValue } from "../scenario/readouts.ts";
import { buildGraph, type CasePath, classifyCase } from "./case-paths.ts";

/**
 * Qualitative validation against claims: each case compares a scenario with its baseline at one
 * readout and time. A readout counts as changed when |scenario − baseline| / max(|baseline|, 0.01)
 * exceeds the threshold (5% by default, `--threshold`), the same three-class scoring Netflux models
 * use (../shared/research/netflux.md §4).
 */

export const DEFAULT_THRESHOLD = 0.05;
export const CLAIMS_PATH = fileURLToPath(new URL("../../data/claims.yaml", import.meta.url));

export const Expect = z.enum(["increase", "decrease", "no-change"]);
export type Expect = z.infer<typeof Expect>;

export const ValidationCase = z
  .object({
    id: z.string().min(1),
    claim: z.string().min(1),
    reference: z.string().min(1),
    study: z.string().optional(),
    kind: z.enum(["finding", "rescue", "comparison"]).optional(),
    scenario: Scenario.optional(),
    baseline: Scenario.optional(),
    readout: z.string().min(1),
    readout_basis: z
      .string()
      .min(1)
      .optional()
      .describe("why this readout, when it is not the node the claim names (e.g. a tissue measurement)"),
    time_h: z.number().finite().nonnegative(),
    time_basis: z
      .string()
      .min(1)
      .describe(
        'where time_h comes from: "seed: …" (the review states it), "primary: …" (the paper, as the knowledge base records it), "protocol end" (in vitro / ex vivo assay end) or "default: …"',
      ),
    expect: Expect,
    out_of_scope: z.string().optional().describe("reason this claim cannot be represented by the model"),
  })
  .refine((c) => c.out_of_scope !== undefined || (c.scenario !== undefined && c.baseline !== undefined), {
    message: "a case needs scenario and baseline unless it is marked out_of_scope",
  });
export type ValidationCase = z.infer<typeof ValidationCase>;

export const CaseFile = z.object({ cases: z.array(ValidationCase).min(1) });

export interface CaseResult {
  case: ValidationCase;
  /** the time the case was read at (its own time_h, or the `at` time of the run) */
  time_h: number;
  /** distance from the scenario's inputs and the direct/mechanistic class (case-paths.ts) */
  path: CasePath;
  baseline: number;
  scenario: number;
  relChange: number;
  predicted: Expect;
  agree: boolean;
}

export interface Tally {
  agree: number;
  total: number;
}

export interface ValidationReport {
  threshold: number;
  /** the time every case was read at, when the run overrode the cases' own times */
  at?: number;
  results: CaseResult[];
  outOfScope: ValidationCase[];
  agree: number;
  total: number;
  percent: number;
  /** agreement of the mechanistic and of the direct cases */
  byClass: { mechanistic: Tally; direct: Tally };
}

export function classify(
  scenario: number,
  baseline: number,
  threshold = DEFAULT_THRESHOLD,
): { rel: number; dir: Expect } {
  const rel = (scenario - baseline) / Math.max(Math.abs(baseline), 0.01);
  return { rel, dir: rel > threshold ? "increase" : rel < -threshold ? "decrease" : "no-change" };
}

/** Parse a case file (YAML or JSON text); throws InputError naming the case and field on problems. */
export function parseCases(text: string, source = "cases"): ValidationCase[] {
  let raw: unknown;
  try {
    raw = parse(text, { merge: true });
  } catch (e) {
    throw new InputError("cases file", source, [], `not valid JSON/YAML: ${(e as Error).message}`);
  }
  const res = CaseFile.safeParse(raw);
  if (!res.success) {
    const first = res.error.issues[0];
    const path = first.path.join(".");
    throw new InputError(
      path || "cases",
      source,
      "values" in first && Array.isArray(first.values) ? first.values.map(String) : [],
      first.message,
    );
  }
  const ids = new Set<string>();
  for (const c of res.data.cases) {
    if (ids.has(c.id)) throw new InputError("cases[].id", c.id, [], "duplicate case id");
    ids.add(c.id);
  }
  checkReadouts(res.data.cases);
  return res.data.cases;
}

export function loadDefaultCases(): ValidationCase[] {
  return parseCases(readFileSync(CLAIMS_PATH, "utf8"), CLAIMS_PATH);
}

/** Every readout and perturbed node must exist, before any simulation runs. */
export function checkReadouts(cases: ValidationCase[]): void {
  const model = defaultNetwork();
  const allowed = [...DERIVED_READOUTS, ...model.species.map((s) => s.id)];
  for (const c of cases) {
    if (c.out_of_scope) continue;
    if (!isDerivedReadout(c.readout) && !resolveSpecies(model, c.readout)) {
      throw new InputError(`case ${c.id}: readout`, c.readout, allowed, "unknown readout or network node");
    }
    for (const [which, sc] of [
      ["scenario", c.scenario],
      ["baseline", c.baseline],
    ] as const) {
      // engineering and routes are checked before any simulation, so a bad case fails at once
      if (sc?.therapy) {
        try {
          designFromTherapy(model, sc.therapy);
        } catch (e) {
          if (e instanceof InputError)
            throw new InputError(`case ${c.id}: ${which}.${e.field}`, e.value, e.allowed);
          throw e;
        }
        const doses = sc.therapy.doses ?? [{ route: sc.therapy.route }];
        doses.forEach((d, i) => {
          if (!(ROUTE_IDS as readonly string[]).includes(d.route)) {
            throw new InputError(`case ${c.id}: ${which}.therapy.doses[${i}].route`, d.route, [...ROUTE_IDS]);
          }
        });
        // the delivery model's own checks (route × injury, dose times within the span, ligands)
        try {
          const parsed = Scenario.parse({ ...sc, duration_h: Math.max(sc.duration_h ?? 0, c.time_h) });
          const th = parsed.therapy!;
          normalizeInput(
            {
              species: parsed.species,
              injury: parsed.injury,
              doses: therapyDoses(th).map((d) => ({ ...d, route: d.route as RouteId })),
              ligands: th.engineering.flatMap((e) => (e.kind === "surface" ? [e.ligand as LigandId] : [])),
              duration_h: parsed.duration_h,
            },
            loadDeliveryData(),
          );
        } catch (e) {
          if (e instanceof InputError)
            throw new InputError(`case ${c.id}: ${which}.${e.field}`, e.value, e.allowed);
          throw e;
        }
      }
      for (const node of Object.keys(sc?.perturb ?? {})) {
        if (!resolveSpecies(model, node)) {
          throw new InputError(
            `case ${c.id}: perturb`,
            node,
            model.species.map((s) => s.id),
            "unknown network node",
          );
        }
      }
    }
  }
}

export interface ValidateOptions {
  threshold?: number;
  /** read every case at this time instead of its own time_h (`exomi validate --at`) */
  at?: number;
  simulate?: SimulateOptions;
  /** the network the cases are classified on (default: the simulated one, or data/network.yaml) */
  model?: NetworkModel;
  onProgress?: (done: number, total: number) => void;
}

export function tally(results: readonly CaseResult[]): ValidationReport["byClass"] {
  const of = (cls: CasePath["cls"]): Tally => {
    const rs = results.filter((r) => r.path.cls === cls);
    return { agree: rs.filter((r) => r.agree).length, total: rs.length };
  };
  return { mechanistic: of("mechanistic"), direct: of("direct") };
}

export function runValidation(cases: ValidationCase[], opts: ValidateOptions = {}): ValidationReport {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const model = opts.model ?? opts.simulate?.compiled?.model ?? defaultNetwork();
  const graph = buildGraph(model);
  const cache = new Map<string, ReturnType<typeof simulate>>();
  const run = (sc: Scenario, t: number) => {
    const key = JSON.stringify(sc);
    let r = cache.get(key);
    if (!r) {
      r = simulate(sc, { ...opts.simulate, include: [t, ...(opts.simulate?.include ?? [])] });
      cache.set(key, r);
    }
    return r;
  };
  const inScope = cases.filter((c) => !c.out_of_scope);
  const results: CaseResult[] = [];
  inScope.forEach((c, i) => {
    const t = opts.at ?? c.time_h;
    const sc = Scenario.parse({ ...c.scenario, duration_h: Math.max(c.scenario!.duration_h ?? 0, t) });
    const bl = Scenario.parse({ ...c.baseline, duration_h: Math.max(c.baseline!.duration_h ?? 0, t) });
    const b = readoutValue(run(bl, t), c.readout, t);
    const s = readoutValue(run(sc, t), c.readout, t);
    const { rel, dir } = classify(s, b, threshold);
    results.push({
      case: c,
      time_h: t,
      path: classifyCase(model, c, graph),
      baseline: b,
      scenario: s,
      relChange: rel,
      predicted: dir,
      agree: dir === c.expect,
    });
    opts.onProgress?.(i + 1, inScope.length);
  });
  const agree = results.filter((r) => r.agree).length;
  return {
    threshold,
    at: opts.at,
    results,
    outOfScope: cases.filter((c) => c.out_of_scope),
    agree,
    total: results.length,
    percent: results.length ? (100 * agree) / results.length : 0,
    byClass: tally(results),
  };
}

/** `exomi validate --at t1,t2,…`: every case read at each time, one report per time. */
export function runValidationAt(
  cases: ValidationCase[],
  times: readonly number[],
  opts: Omit<ValidateOptions, "at"> = {},
): ValidationReport[] {
  const n = cases.filter((c) => !c.out_of_scope).length;
  return times.map((at, k) =>
    runValidation(cases, { ...opts, at, onProgress: (d) => opts.onProgress?.(k * n + d, times.length * n) }),
  );
}

/** The cases whose shortest input → readout path passes through a contested edge. */
export function contestedResults(results: readonly CaseResult[]): CaseResult[] {
  return results.filter((r) => r.path.contested.length > 0);
}
