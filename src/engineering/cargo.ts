import { parse } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { readDataFile } from "../data/files.ts";
import type { NetworkModel } from "../network/model.ts";
import { resolveSpecies } from "../network/resolve.ts";
import type { EngineeringStep, Therapy } from "../scenario/schema.ts";

/**
 * A therapy's cargo profile: which cargo species reach recipient cells, at what relative level
 * (data/cargo.yaml). Engineering steps change the profile; surface ligands change delivery, not
 * cargo, and are returned separately.
 */

// `source`: a measurement read outside the review (title/URL, the quoted figure and how it maps to
// the model's scale); `ref` stays a citation key of the review (test/provenance checks it).
const Evidence = z.union([
  z.object({
    ref: z.string(),
    note: z.string().optional(),
    source: z.string().optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
  }),
  z.object({
    assumption: z.string(),
    source: z.string().optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
  }),
]);
const Valued = z.object({ value: z.number(), range: z.tuple([z.number(), z.number()]), evidence: Evidence });
const CargoEntry = z.object({
  abundance: z.number().min(0).max(1),
  range: z.tuple([z.number(), z.number()]),
  evidence: Evidence,
});
const ScaleEntry = z.object({
  factor: z.number().positive(),
  range: z.tuple([z.number(), z.number()]),
  evidence: Evidence,
});
const Change = z.object({
  set_min: z.record(z.string(), z.number().min(0).max(1)).optional(),
  scale: z.record(z.string(), z.number().positive()).optional(),
  evidence: Evidence,
});

const CargoFile = z.object({
  dose_response: z.object({ K: Valued }),
  sources: z.record(
    z.string(),
    z.object({
      name: z.string(),
      cargo: z.record(z.string(), CargoEntry).optional(),
      based_on: z.string().optional(),
      scale: z.record(z.string(), ScaleEntry).optional(),
      age_decline_per_decade: Valued.optional(),
    }),
  ),
  uptake_reference: z.object({ particles_per_cell: Valued }),
  default_exposure: z.object({ reference_dose_particles: Valued, persistence_h: Valued }),
  engineering: z.object({
    overexpress: z.record(z.string(), Change),
    load: z.object({ default_level: Valued }),
    precondition: z.record(z.string(), Change),
    knockdown: z.object({ residual: Valued }),
  }),
});
export type CargoFile = z.infer<typeof CargoFile>;

let cached: CargoFile | undefined;
/** data/cargo.yaml, validated (cached). */
export function loadCargoFile(): CargoFile {
  cached ??= CargoFile.parse(parse(readDataFile("cargo.yaml")));
  return cached;
}

/** cargo species id → relative level (0..1) at the reference exposure */
export type CargoProfile = Map<string, number>;

export interface TherapyDesign {
  profile: CargoProfile;
  ligands: string[];
  /** half-saturation of the delivered-amount → input-level response */
  K: number;
}

/** Species of the network that are exosome cargo inputs. */
export function cargoSpecies(model: NetworkModel): string[] {
  return model.species.filter((s) => s.module === "cargo").map((s) => s.id);
}

function nativeProfile(file: CargoFile, source: string, donorAge?: number): CargoProfile {
  const def = file.sources[source];
  if (!def) throw new InputError("therapy.source", source, Object.keys(file.sources));
  const base = def.based_on ? nativeProfile(file, def.based_on) : new Map<string, number>();
  for (const [id, e] of Object.entries(def.cargo ?? {})) base.set(id, e.abundance);
  for (const [id, s] of Object.entries(def.scale ?? {}))
    base.set(id, Math.min(1, (base.get(id) ?? 0) * s.factor));
  if (def.age_decline_per_decade && donorAge !== undefined) {
    // an older donor's MSCs carry less of every cargo (section 3.5: age-related decline)
    const f = Math.max(0, 1 - (def.age_decline_per_decade.value * Math.max(0, donorAge - 20)) / 10);
    for (const [id, v] of base) base.set(id, v * f);
  }
  return base;
}

function resolveCargo(model: NetworkModel, name: string, field: string): string {
  const s = resolveSpecies(model, name);
  const cargo = cargoSpecies(model);
  if (s?.module !== "cargo") {
    const names = model.species.filter((x) => x.module === "cargo").map((x) => x.name);
    throw new InputError(field, name, names, "not an exosome cargo species of the network");
  }
  void cargo;
  return s.id;
}

function applyChange(profile: CargoProfile, change: z.infer<typeof Change>): void {
  for (const [id, v] of Object.entries(change.set_min ?? {}))
    profile.set(id, Math.max(profile.get(id) ?? 0, v));
  for (const [id, f] of Object.entries(change.scale ?? {}))
    profile.set(id, Math.min(1, (profile.get(id) ?? 0) * f));
}

/** Apply engineering steps in order to the source's native profile. */
export function designFromTherapy(
  model: NetworkModel,
  therapy: Therapy,
  file = loadCargoFile(),
): TherapyDesign {
  const profile = nativeProfile(file, therapy.source, therapy.donor_age_years);
  const ligands: string[] = [];
  therapy.engineering.forEach((step: EngineeringStep, i: number) => {
    const field = `therapy.engineering[${i}]`;
    switch (step.kind) {
      case "overexpress": {
        const key = Object.keys(file.engineering.overexpress).find(
          (k) => k.toLowerCase() === step.gene.toLowerCase() || resolveSpecies(model, step.gene)?.id === k,
        );
        if (!key) throw new InputError(`${field}.gene`, step.gene, Object.keys(file.engineering.overexpress));
        applyChange(profile, file.engineering.overexpress[key]);
        break;
      }
      case "load": {
        const id = resolveCargo(model, step.molecule, `${field}.molecule`);
        profile.set(id, Math.max(profile.get(id) ?? 0, file.engineering.load.default_level.value));
        break;
      }
      case "knockdown": {
        const direct = resolveSpecies(model, step.molecule);
        if (direct && direct.module === "cargo") {
          profile.set(direct.id, file.engineering.knockdown.residual.value);
          break;
        }
        // knocking a recipient gene down = delivering an siRNA against it, when the network has one
        const si = direct ? resolveSpecies(model, `si${direct.id}`) : undefined;
        if (si && si.module === "cargo") {
          profile.set(si.id, Math.max(profile.get(si.id) ?? 0, file.engineering.load.default_level.value));
          break;
        }
        const allowed = model.species.filter((x) => x.module === "cargo").map((x) => x.name);
        throw new InputError(
          `${field}.molecule`,
          step.molecule,
          allowed,
          "neither a cargo species nor a gene with an siRNA cargo",
        );
      }
      case "precondition": {
        const change = file.engineering.precondition[step.condition];
        if (!change)
          throw new InputError(
            `${field}.condition`,
            step.condition,
            Object.keys(file.engineering.precondition),
          );
        applyChange(profile, change);
        break;
      }
      case "surface":
        ligands.push(step.ligand);
        break;
    }
  });
  return { profile, ligands, K: file.dose_response.K.value };
}

/**
 * The input level of one cargo node for a delivered amount `x` (exposure relative to the reference
 * dose): a saturating response scaled so that x = 1 gives the profile's abundance.
 */
export function cargoLevel(abundance: number, x: number, K: number): number {
  if (x <= 0 || abundance <= 0) return 0;
  return Math.min(1, (abundance * x * (1 + K)) / (K + x));
}
