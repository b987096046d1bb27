import { z } from "zod";

/** Route presets that other modules (scenario, engineering, web) may name. data/routes.yaml must match. */
export const ROUTE_IDS = [
  "intravenous",
  "intramyocardial",
  "peri-infarct",
  "gelatin-microneedle-patch",
  "gelma-microneedle-patch",
  "peptide-hydrogel",
  "conductive-hydrogel",
  "nanofibrous-patch",
  "ex-vivo-perfusion",
  "chp-nanovesicles",
  "imtp-intravenous",
  "in-vitro",
] as const;
export type RouteId = (typeof ROUTE_IDS)[number];

export const LIGAND_IDS = ["CHP", "IMTP", "CP05"] as const;
export type LigandId = (typeof LIGAND_IDS)[number];

export const SPECIES_IDS = ["mouse", "rat", "human"] as const;
export type SpeciesId = (typeof SPECIES_IDS)[number];

export const INJURY_IDS = [
  "permanent-ligation",
  "ischemia-reperfusion",
  "chronic-heart-failure",
  "dcd-transplant",
  "none",
  "hypoxia-reoxygenation",
] as const;
export type InjuryId = (typeof INJURY_IDS)[number];

/**
 * One model parameter with its provenance. `min..max` is the plausible range that virtual cohorts and
 * the property tests sample; `basis` says whether the value is sourced, derived or an assumption.
 */
export const ParamSchema = z
  .object({
    value: z.number(),
    min: z.number(),
    max: z.number(),
    unit: z.string().min(1),
    basis: z.enum(["sourced", "derived", "assumption"]),
    source: z.string().min(3),
    allometric: z.boolean().optional(),
  })
  .refine((p) => p.min <= p.value && p.value <= p.max, {
    message: "value must lie within [min, max]",
  });
export type Param = z.infer<typeof ParamSchema>;

export const SystemicSchema = z.object({
  blood_half_life_min: ParamSchema,
  share_liver_spleen: ParamSchema,
  share_lungs: ParamSchema,
  share_elimination: ParamSchema,
  share_rest_of_body: ParamSchema,
  heart_extraction_relative: ParamSchema,
  liver_spleen_degradation_half_life_h: ParamSchema,
  lung_clearance_half_life_h: ParamSchema,
  rest_of_body_clearance_half_life_h: ParamSchema,
  myocardial_washout_half_life_h: ParamSchema,
  cell_uptake_half_life_h: ParamSchema,
  intracellular_cargo_half_life_h: ParamSchema,
  myocardial_cells_per_g: ParamSchema,
  permeability_window_half_life_h: ParamSchema,
});
export type Systemic = z.infer<typeof SystemicSchema>;

export const InjurySchema = z.object({
  label: z.string(),
  in_vitro_only: z.boolean().optional(),
  infarct_mass_fraction: ParamSchema,
  relative_uptake_early: ParamSchema,
  relative_uptake_late: ParamSchema,
  ischemia_early: ParamSchema,
  ischemia_late: ParamSchema,
});
export type InjuryDef = z.infer<typeof InjurySchema>;

export const LigandSchema = z.object({
  id: z.enum(LIGAND_IDS),
  label: z.string(),
  review_refs: z.array(z.string()),
  gated_by_ischemia: z.boolean(),
  infarct_uptake_multiplier: ParamSchema,
  remote_uptake_multiplier: ParamSchema,
  depot_release_multiplier: ParamSchema,
  anchors_in: z.array(z.enum(ROUTE_IDS)),
});
export type LigandDef = z.infer<typeof LigandSchema>;

export const DepotSchema = z.object({
  /** where released particles go: the infarct interstitium, or straight into cells (in vitro) */
  release_to: z.enum(["infarct", "infarct_cells"]),
  /** whether particles still in the depot count as "in the heart" (gels, patches: yes; perfusate: no) */
  in_heart: z.boolean(),
  release_half_life_h: ParamSchema,
  release_to_heart_fraction: ParamSchema,
  degradation_half_life_h: ParamSchema.optional(),
  window_h: ParamSchema.optional(),
  /**
   * during window_h the heart sits in a perfusion circuit: myocardial washout returns to the depot
   * (perfusate) instead of blood, so nothing reaches liver/spleen until the window closes
   */
  circuit: z.boolean().optional(),
});
export type DepotDef = z.infer<typeof DepotSchema>;

export const RouteSchema = z.object({
  id: z.enum(ROUTE_IDS),
  label: z.string(),
  carrier: z.string(),
  mode: z.enum(["systemic", "local", "perfusion", "in-vitro"]),
  review_refs: z.array(z.string()).min(1),
  default_injury: z.enum(INJURY_IDS),
  default_ligands: z.array(z.enum(LIGAND_IDS)),
  placement: z.object({
    target: z.enum(["blood", "infarct", "depot"]),
    leak_to_blood: ParamSchema.optional(),
    to_remote: ParamSchema.optional(),
  }),
  depot: DepotSchema.optional(),
  cells_per_well: ParamSchema.optional(),
});
export type RouteDef = z.infer<typeof RouteSchema>;

export const RoutesFileSchema = z
  .object({
    schema_version: z.literal(1),
    systemic: SystemicSchema,
    injuries: z.record(z.enum(INJURY_IDS), InjurySchema),
    ligands: z.array(LigandSchema),
    routes: z.array(RouteSchema),
  })
  .superRefine((f, ctx) => {
    for (const id of ROUTE_IDS) {
      const n = f.routes.filter((r) => r.id === id).length;
      if (n !== 1)
        ctx.addIssue({ code: "custom", path: ["routes"], message: `route ${id} defined ${n} times` });
    }
    for (const id of LIGAND_IDS) {
      if (!f.ligands.some((l) => l.id === id))
        ctx.addIssue({ code: "custom", path: ["ligands"], message: `ligand ${id} missing` });
    }
    for (const id of INJURY_IDS) {
      if (!f.injuries[id])
        ctx.addIssue({ code: "custom", path: ["injuries"], message: `injury ${id} missing` });
    }
    f.routes.forEach((r, i) => {
      if ((r.placement.target === "depot") !== (r.depot !== undefined))
        ctx.addIssue({
          code: "custom",
          path: ["routes", i],
          message: "a route has a depot exactly when its placement target is 'depot'",
        });
      const lost = (r.placement.leak_to_blood?.max ?? 0) + (r.placement.to_remote?.max ?? 0);
      if (lost > 1)
        ctx.addIssue({
          code: "custom",
          path: ["routes", i, "placement"],
          message: "leak + remote can exceed 1",
        });
      if (r.depot?.circuit && !r.depot.window_h)
        ctx.addIssue({
          code: "custom",
          path: ["routes", i, "depot"],
          message: "a circuit depot needs window_h",
        });
      if (r.mode === "in-vitro" && !r.cells_per_well)
        ctx.addIssue({ code: "custom", path: ["routes", i], message: "in-vitro route needs cells_per_well" });
    });
  });
export type RoutesFile = z.infer<typeof RoutesFileSchema>;

export const SpeciesDefSchema = z.object({
  label: z.string(),
  extrapolated: z.boolean(),
  note: z.string(),
  body_weight_kg: ParamSchema,
  blood_volume_ml: ParamSchema,
  heart_mass_g: ParamSchema,
  coronary_flow_fraction: ParamSchema,
});
export type SpeciesDef = z.infer<typeof SpeciesDefSchema>;

export const SpeciesFileSchema = z.object({
  schema_version: z.literal(1),
  reference_species: z.enum(SPECIES_IDS),
  reference_note: z.string(),
  allometric_rate_exponent: ParamSchema,
  species: z.object({ mouse: SpeciesDefSchema, rat: SpeciesDefSchema, human: SpeciesDefSchema }),
});
export type SpeciesFile = z.infer<typeof SpeciesFileSchema>;

/** Everything the delivery model reads from data/: one object so that overrides can replace any value. */
export interface DeliveryData {
  routes: RoutesFile;
  species: SpeciesFile;
}

export interface DoseInput {
  time_h: number;
  dose_particles: number;
  route: RouteId;
}

export interface DeliveryInput {
  species: SpeciesId;
  doses: DoseInput[];
  ligands?: LigandId[];
  /** add the ligands a route preset carries (e.g. CP05 for conductive-hydrogel); default true */
  defaultLigands?: boolean;
  duration_h: number;
  injury?: InjuryId;
  outputTimes?: number[];
}

/** Upper bound on a single dose: far above any animal or human exosome dose (~1e9–1e12 particles). */
export const MAX_DOSE_PARTICLES = 1e15;
/** Longest run: one year. */
export const MAX_DURATION_H = 8760;
