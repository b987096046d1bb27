import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { TissueParams } from "./model.ts";

/**
 * Standard of care (review section 7.3) as documented modifiers: reperfusion timing changes the
 * injury (an occlusion reperfused at `reperfusion_h`); each drug multiplies named tissue-model
 * parameters, weighted by how much of its window of action the treatment covers
 * (data/standard-of-care.yaml). Pure: returns a new scenario and parameter multipliers.
 */

const Valued = z.object({
  value: z.number().positive(),
  range: z.tuple([z.number(), z.number()]),
  evidence: z.unknown(),
});
const Drug = z.object({
  name: z.string(),
  window_h: z.tuple([z.number().nonnegative(), z.number().positive()]),
  multipliers: z.record(z.string(), Valued),
});
const SocFile = z.object({
  reperfusion: z.object({ max_h: z.number().positive(), evidence: z.unknown() }),
  drugs: z.object({ ace_inhibitor: Drug, beta_blocker: Drug, antiplatelet: Drug }),
});
export type SocFile = z.infer<typeof SocFile>;
export const DRUGS = ["ace_inhibitor", "beta_blocker", "antiplatelet"] as const;
export type DrugId = (typeof DRUGS)[number];

const PATH = fileURLToPath(new URL("../../data/standard-of-care.yaml", import.meta.url));
let cached: SocFile | undefined;
export function loadStandardOfCare(): SocFile {
  cached ??= SocFile.parse(parse(readFileSync(PATH, "utf8")));
  return cached;
}

/** A regimen: time to reperfusion, and the start time (h after injury onset) of each drug given. */
export const Regimen = z
  .object({
    reperfusion_h: z.number().positive().max(24).optional(),
    ace_inhibitor: z.number().nonnegative().optional(),
    beta_blocker: z.number().nonnegative().optional(),
    antiplatelet: z.number().nonnegative().optional(),
  })
  .strict();
export type Regimen = z.infer<typeof Regimen>;

export type Multipliers = Partial<Record<keyof TissueParams, number>>;

/** Share of a drug's window of action covered when it starts at `start_h`. */
export function coverage(window: readonly [number, number], start_h: number): number {
  const [a, b] = window;
  return Math.min(1, Math.max(0, (b - Math.max(a, start_h)) / (b - a)));
}

export function applyStandardOfCare(
  scenario: Scenario,
  regimen: Regimen,
): { scenario: Scenario; multipliers: Multipliers } {
  const file = loadStandardOfCare();
  let out = scenario;
  if (regimen.reperfusion_h !== undefined) {
    const injury = scenario.injury === "permanent-ligation" ? "ischemia-reperfusion" : scenario.injury;
    if (injury !== "ischemia-reperfusion" && injury !== "dcd-transplant")
      throw new InputError(
        "reperfusion",
        scenario.injury,
        ["permanent-ligation", "ischemia-reperfusion"],
        "reperfusion applies to an occlusion",
      );
    out = { ...scenario, injury, ischemia_h: regimen.reperfusion_h };
  }
  const multipliers: Multipliers = {};
  for (const id of DRUGS) {
    const start = regimen[id];
    if (start === undefined) continue;
    const drug = file.drugs[id];
    const w = coverage(drug.window_h, start);
    for (const [param, m] of Object.entries(drug.multipliers)) {
      const k = param as keyof TissueParams;
      multipliers[k] = (multipliers[k] ?? 1) * (1 + w * (m.value - 1));
    }
  }
  return { scenario: out, multipliers };
}

/** Parses `reperfusion=3,ace_inhibitor=24,beta_blocker=0` (names or short forms ace, beta, antiplatelet). */
export function parseRegimen(text: string | undefined): Regimen {
  if (!text) return {};
  const alias: Record<string, keyof Regimen> = {
    reperfusion: "reperfusion_h",
    reperfusion_h: "reperfusion_h",
    ace: "ace_inhibitor",
    ace_inhibitor: "ace_inhibitor",
    beta: "beta_blocker",
    beta_blocker: "beta_blocker",
    antiplatelet: "antiplatelet",
  };
  const out: Record<string, number> = {};
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [k, v] = part.split("=");
    const key = alias[k.trim()];
    if (!key) throw new InputError("--soc", k, Object.keys(alias), "give name=start_h pairs");
    const n = Number(v ?? 0);
    if (!Number.isFinite(n) || n < 0) throw new InputError(`--soc ${k}`, v, [], "a start time in hours >= 0");
    out[key] = n;
  }
  const res = Regimen.safeParse(out);
  if (!res.success) throw new InputError("--soc", text, [], res.error.issues[0].message);
  return res.data;
}
