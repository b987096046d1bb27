import { z } from "zod";
import { Dose, EngineeringStep, Scenario, Therapy } from "../scenario/schema.ts";
import { LIMITS } from "./limits.ts";

/**
 * Request and response schemas of the API. Request schemas are the library's zod schemas with the
 * API's work bounds added, so the OpenAPI document, the validation and the TypeScript types agree.
 */

export const ApiTherapy = Therapy.extend({
  engineering: z.array(EngineeringStep).max(LIMITS.maxEngineeringSteps).default([]),
  doses: z
    .array(Dose)
    .min(1)
    .max(LIMITS.maxDoses)
    .optional()
    .describe("repeat dosing; replaces route/dose/time_h"),
});

export const ApiScenario = Scenario.extend({
  therapy: ApiTherapy.nullable().default(null),
  duration_h: z
    .number()
    .finite()
    .positive()
    .max(LIMITS.maxDurationH)
    .default(672)
    .describe(`simulated span after injury onset, hours (at most ${LIMITS.maxDurationH} per request)`),
}).meta({ id: "Scenario" });
export type ApiScenarioInput = z.input<typeof ApiScenario>;

export const SimulateRequest = z
  .object({
    scenario: ApiScenario,
    readouts: z
      .array(z.string().min(1))
      .max(LIMITS.maxReadouts)
      .optional()
      .describe("readout ids or network nodes (default: every effect output and derived readout)"),
    times: z
      .array(z.number().finite().nonnegative())
      .min(2)
      .max(LIMITS.maxOutputTimes)
      .optional()
      .describe("output times, hours (default: hourly to 48 h, then every 6 h)"),
  })
  .strict();
export type SimulateRequest = z.infer<typeof SimulateRequest>;

export const ReadoutInfo = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.string(),
  kind: z.enum(["effect", "node", "derived"]),
  module: z.string().optional(),
  node: z.string().optional().describe("network node id for effect and node readouts"),
});
export type ReadoutInfo = z.infer<typeof ReadoutInfo>;

export const SimulateResponse = z
  .object({
    scenario: z.unknown().describe("the scenario with defaults filled in"),
    time_unit: z.literal("h"),
    times: z.array(z.number()),
    readouts: z.array(ReadoutInfo),
    series: z.record(z.string(), z.array(z.number())),
    compute_ms: z.number().describe("server time spent simulating"),
    solver: z.object({
      steps: z.number(),
      rejected: z.number(),
      rhsEvals: z.number(),
      jacobians: z.number(),
    }),
  })
  .meta({ id: "SimulationResult" });

export const CompareRequest = z
  .object({
    designs: z
      .array(z.object({ label: z.string().max(80).optional(), scenario: ApiScenario }).strict())
      .min(1)
      .max(LIMITS.maxDesigns),
    readouts: SimulateRequest.shape.readouts,
    times: z
      .array(z.number().finite().nonnegative())
      .min(1)
      .max(50)
      .describe("times at which to compare, hours"),
  })
  .strict();

export const DesignProfileRequest = z.object({ therapy: ApiTherapy }).strict();

export const EvidenceList = z.array(z.record(z.string(), z.unknown()));

export const NetworkSpecies = z.object({
  id: z.string(),
  name: z.string(),
  module: z.string().optional(),
  type: z.string().optional(),
  readout: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  notes: z.string().optional(),
  evidence: EvidenceList.optional(),
});

export const NetworkReaction = z.object({
  id: z.string(),
  rule: z.string(),
  reactants: z.array(z.object({ species: z.string(), negated: z.boolean() })),
  product: z.string(),
  module: z.string().optional(),
  W: z.number(),
  n: z.number(),
  EC50: z.number(),
  notes: z.string().optional(),
  evidence: EvidenceList.optional(),
});

export const NetworkResponse = z
  .object({
    name: z.string(),
    time_unit: z.string().optional(),
    modules: z.array(z.string()),
    species: z.array(NetworkSpecies),
    reactions: z.array(NetworkReaction),
  })
  .meta({ id: "Network" });

export const NodeDetail = z.object({
  species: NetworkSpecies,
  inputs: z.array(NetworkReaction).describe("reactions that produce this node"),
  outputs: z.array(NetworkReaction).describe("reactions this node takes part in as a reactant"),
});

export const PathsResponse = z.object({
  source: z.string(),
  effects: z.array(
    z.object({
      effect: z.string(),
      nodes: z.array(z.string()),
      steps: z.array(z.object({ from: z.string(), to: z.string(), reaction: z.string(), sign: z.number() })),
      sign: z.number(),
    }),
  ),
  nodes: z.array(z.string()),
  reactions: z.array(z.string()),
});

export const IdParam = z.object({ id: z.string().min(1).max(200) });
