import { z } from "zod";

/**
 * The Scenario: one in-silico experiment. Species, injury model, an optional exosome therapy
 * (source, engineering, route, dose, timing), node perturbations and the simulated span.
 * `exomi schema scenario` prints this as JSON Schema.
 */

export const SPECIES = ["mouse", "rat", "human"] as const;
export const INJURIES = [
  "permanent-ligation",
  "ischemia-reperfusion",
  "hypoxia-reoxygenation",
  "chronic-heart-failure",
  "dcd-transplant",
  "none",
] as const;
export const SOURCES = ["hucmsc", "bm-msc", "adipose-msc", "cardiac-progenitor"] as const;

const finiteNonNeg = z.number().finite().nonnegative();

export const EngineeringStep = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("overexpress"), gene: z.string().min(1) }).strict(),
  z.object({ kind: z.literal("load"), molecule: z.string().min(1) }).strict(),
  z.object({ kind: z.literal("knockdown"), molecule: z.string().min(1) }).strict(),
  z.object({ kind: z.literal("precondition"), condition: z.enum(["hypoxia"]) }).strict(),
  z.object({ kind: z.literal("surface"), ligand: z.string().min(1) }).strict(),
]);
export type EngineeringStep = z.infer<typeof EngineeringStep>;

export const Dose = z
  .object({
    time_h: finiteNonNeg.describe("dose time after injury, hours"),
    dose_particles: z.number().finite().positive().max(1e15).describe("particles per dose"),
    route: z.string().min(1),
  })
  .strict();

export const Therapy = z
  .object({
    source: z.enum(SOURCES).default("hucmsc"),
    donor_age_years: z.number().finite().min(0).max(100).optional().describe("bm-msc donor age"),
    engineering: z.array(EngineeringStep).default([]),
    route: z.string().min(1).default("intravenous"),
    dose_particles: z.number().finite().positive().max(1e15).default(1e10),
    time_h: finiteNonNeg.default(0).describe("dose time after injury onset, hours"),
    doses: z.array(Dose).optional().describe("repeat dosing; when present replaces route/dose/time_h"),
  })
  .strict();
export type Therapy = z.infer<typeof Therapy>;

export const Scenario = z
  .object({
    species: z.enum(SPECIES).default("rat"),
    injury: z.enum(INJURIES).default("permanent-ligation"),
    therapy: Therapy.nullable().default(null),
    perturb: z.record(z.string(), z.number().min(0).max(1)).default({}),
    duration_h: z
      .number()
      .finite()
      .positive()
      .max(24 * 365)
      .default(672),
    /** reperfusion time after occlusion for ischemia-reperfusion-like injuries, hours */
    ischemia_h: z.number().finite().positive().max(24).optional(),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
