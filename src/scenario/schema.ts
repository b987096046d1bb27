import { z } from "zod";
import { ROUTE_IDS } from "../delivery/schema.ts";

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

/**
 * A delivery route id (data/routes.yaml, which src/delivery checks against ROUTE_IDS). Checked here so
 * an unknown route fails at the scenario, named `therapy.route` with the allowed values, not deep in
 * the delivery model; the type stays `string` so callers that build scenarios are unaffected.
 */
const Route = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    if (!(ROUTE_IDS as readonly string[]).includes(v))
      ctx.addIssue({ code: "invalid_value", values: [...ROUTE_IDS], input: v, message: "unknown route" });
  });

/** Particles per dose; out-of-range values are told the range (CLI and HTTP print the message). */
export const MAX_DOSE_PARTICLES = 1e15;
const DOSE_RANGE = "allowed: 0 < dose_particles ≤ 1e15 particles";
const DoseParticles = z
  .number()
  .finite({ error: DOSE_RANGE })
  .positive({ error: DOSE_RANGE })
  .max(MAX_DOSE_PARTICLES, { error: DOSE_RANGE });

export const Dose = z
  .object({
    time_h: finiteNonNeg.describe("dose time after injury, hours"),
    dose_particles: DoseParticles.describe("particles per dose"),
    route: Route,
  })
  .strict();

export const Therapy = z
  .object({
    source: z.enum(SOURCES).default("hucmsc"),
    donor_age_years: z.number().finite().min(0).max(100).optional().describe("bm-msc donor age"),
    engineering: z.array(EngineeringStep).default([]),
    route: Route.default("intravenous"),
    dose_particles: DoseParticles.default(1e10),
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
