import { parse } from "yaml";
import { z } from "zod";
import { readDataFile } from "../data/files.ts";
import type { Scenario } from "./schema.ts";

/** Injury models as time profiles of the network's injury inputs (data/injury.yaml). */

const Model = z.discriminatedUnion("occlusion", [
  z.object({
    occlusion: z.literal("permanent"),
    core_level: z.number().min(0).max(1),
    core_h: z.number().min(0),
    residual: z.number().min(0).max(1),
    resolve_h: z.number().positive(),
    perfusion_feedback: z.boolean(),
    evidence: z.array(z.unknown()).min(1),
  }),
  z.object({
    occlusion: z.literal("transient"),
    ischemia_h: z.number().positive(),
    reperfusion_tau_h: z.number().positive(),
    lethal_injury_h: z.number().positive(),
    perfusion_feedback: z.boolean(),
    evidence: z.array(z.unknown()).min(1),
  }),
  z.object({
    occlusion: z.literal("none"),
    perfusion_feedback: z.boolean(),
    evidence: z.array(z.unknown()).min(1),
  }),
]);
const InjuryFile = z.object({ models: z.record(z.string(), Model) });
export type InjuryModel = z.infer<typeof Model>;

let cached: Record<string, InjuryModel> | undefined;
export function loadInjuryModels(): Record<string, InjuryModel> {
  cached ??= InjuryFile.parse(parse(readDataFile("injury.yaml"))).models;
  return cached;
}

/** Allocation-free evaluators of the injury inputs, plus the times where they jump. */
export interface InjuryProfile {
  /** the acute ischemia of the injury itself, before any tissue feedback */
  ischemia(t: number): number;
  reperfusion(t: number): number;
  breakpoints: number[];
  /** in vivo: the tissue's capillary deficit adds chronic ischemia (data/injury.yaml) */
  perfusionFeedback: boolean;
}

export function injuryProfile(scenario: Pick<Scenario, "injury" | "ischemia_h">): InjuryProfile {
  const m = loadInjuryModels()[scenario.injury];
  if (!m) throw new Error(`no injury model for ${scenario.injury} in data/injury.yaml`);
  switch (m.occlusion) {
    case "none":
      return { ischemia: () => 0, reperfusion: () => 0, breakpoints: [], perfusionFeedback: false };
    case "permanent": {
      const { core_level, core_h, residual, resolve_h } = m;
      return {
        ischemia: (t) =>
          t < 0
            ? 0
            : t < core_h
              ? core_level
              : residual + (core_level - residual) * Math.exp(-(t - core_h) / resolve_h),
        reperfusion: () => 0,
        breakpoints: core_h > 0 ? [core_h] : [],
        perfusionFeedback: m.perfusion_feedback,
      };
    }
    case "transient": {
      const tr = scenario.ischemia_h ?? m.ischemia_h;
      const tau = m.reperfusion_tau_h;
      // the longer the ischemia, the larger the injury that reperfusion reveals (lethal injury
      // accrues over the first hour or so of ischemia)
      const load = 1 - Math.exp(-tr / m.lethal_injury_h);
      return {
        ischemia: (t) => (t >= 0 && t < tr ? 1 : 0),
        reperfusion: (t) => (t < tr ? 0 : load * Math.exp(-(t - tr) / tau)),
        breakpoints: [tr],
        perfusionFeedback: m.perfusion_feedback,
      };
    }
  }
}
