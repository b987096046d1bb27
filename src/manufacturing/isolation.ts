import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { classifyPurity, type PurityClass } from "./purity.ts";
import { pick, Quantity, type RangeEnd } from "./quantity.ts";

const Contaminant = z
  .object({ text: z.string().min(1), source: z.string().optional(), assumption: z.boolean().optional() })
  .strict()
  .refine((c) => c.source || c.assumption, "a contaminant needs a `source` or `assumption: true`");

export const IsolationMethod = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    recovery: Quantity,
    purityParticlesPerUg: Quantity,
    contaminants: z.array(Contaminant).min(1),
    fixedHoursPerRun: Quantity,
    hoursPerL: Quantity,
    maxVolumePerRunL: Quantity,
    consumablesUsdPerRun: Quantity,
    consumablesUsdPerL: Quantity,
    scalability: z.enum(["low", "medium", "high"]),
    scalabilityNote: z.string(),
  })
  .strict();
export type IsolationMethod = z.infer<typeof IsolationMethod>;

export const CellSource = z.object({ id: z.string(), name: z.string(), doublingHours: Quantity }).strict();
export type CellSource = z.infer<typeof CellSource>;

export const Economics = z
  .object({
    conditionedMediumParticlesPerMl: Quantity,
    runVolumeL: Quantity,
    reviewYieldPerRun: Quantity,
    referenceCostPerDoseUsd: Quantity,
    expansionDoublings: Quantity,
    conditioningHours: Quantity,
    cultureUsdPerLPerDay: Quantity,
    cultureHandsOnHoursPerDay: Quantity,
    labourUsdPerHour: Quantity,
    releaseTestingUsdPerLot: Quantity,
    qcRetainFraction: Quantity,
    cellSources: z.array(CellSource).min(1),
  })
  .strict();
export type Economics = z.infer<typeof Economics>;

export const IsolationData = z
  .object({ version: z.literal(1), methods: z.array(IsolationMethod).min(1), economics: Economics })
  .strict();
export type IsolationData = z.infer<typeof IsolationData>;

export const DEFAULT_ISOLATION_FILE = fileURLToPath(new URL("../../data/isolation.yaml", import.meta.url));

let cached: IsolationData | undefined;

/** Loads and validates data/isolation.yaml (or another file with the same schema). */
export function loadIsolationData(file = DEFAULT_ISOLATION_FILE): IsolationData {
  if (file === DEFAULT_ISOLATION_FILE && cached) return cached;
  const data = IsolationData.parse(parseYaml(readFileSync(file, "utf8")));
  if (file === DEFAULT_ISOLATION_FILE) cached = data;
  return data;
}

export function findMethod(data: IsolationData, id: string): IsolationMethod {
  const m = data.methods.find((x) => x.id === id.toLowerCase());
  if (!m) {
    throw new InputError(
      "method",
      id,
      data.methods.map((x) => x.id),
    );
  }
  return m;
}

export interface MethodEstimate {
  id: string;
  name: string;
  volumeL: number;
  runs: number;
  particles: number;
  particlesRange: [number, number];
  purityParticlesPerUg: number;
  purityClass: PurityClass;
  proteinUg: number;
  hours: number;
  hoursRange: [number, number];
  scalability: IsolationMethod["scalability"];
  contaminants: string[];
}

/** Runs needed, particles recovered, time and purity for processing `volumeL` of conditioned medium. */
export function estimateMethod(
  data: IsolationData,
  method: IsolationMethod,
  volumeL: number,
): MethodEstimate {
  if (!(volumeL > 0)) throw new InputError("volume-l", volumeL, [], "must be a positive number of litres");
  const inMedium = (end: RangeEnd) =>
    volumeL * 1000 * pick(data.economics.conditionedMediumParticlesPerMl, end);
  const particles = inMedium("value") * method.recovery.value;
  const runsAt = (end: RangeEnd) => Math.ceil(volumeL / pick(method.maxVolumePerRunL, end));
  const hoursAt = (end: RangeEnd, capEnd: RangeEnd) =>
    runsAt(capEnd) * pick(method.fixedHoursPerRun, end) + volumeL * pick(method.hoursPerL, end);
  const purity = method.purityParticlesPerUg.value;
  return {
    id: method.id,
    name: method.name,
    volumeL,
    runs: runsAt("value"),
    particles,
    particlesRange: [
      inMedium("low") * pick(method.recovery, "low"),
      inMedium("high") * pick(method.recovery, "high"),
    ],
    purityParticlesPerUg: purity,
    purityClass: classifyPurity(purity),
    proteinUg: particles / purity,
    hours: hoursAt("value", "value"),
    hoursRange: [hoursAt("low", "high"), hoursAt("high", "low")],
    scalability: method.scalability,
    contaminants: method.contaminants.map((c) => c.text),
  };
}

export function compareMethods(data: IsolationData, volumeL: number): MethodEstimate[] {
  return data.methods.map((m) => estimateMethod(data, m, volumeL));
}
