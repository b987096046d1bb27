import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { INJURY_IDS, LIGAND_IDS, ROUTE_IDS, SPECIES_IDS, simulateDelivery } from "../../delivery/index.ts";
import { ApiError } from "../errors.ts";
import { LIMITS } from "../limits.ts";

const DeliveryRequest = z
  .object({
    species: z.enum(SPECIES_IDS).default("rat"),
    injury: z.enum(INJURY_IDS).optional(),
    doses: z
      .array(
        z
          .object({
            time_h: z.number().finite().nonnegative(),
            dose_particles: z.number().finite().positive().max(1e15),
            route: z.enum(ROUTE_IDS),
          })
          .strict(),
      )
      .min(1)
      .max(LIMITS.maxDoses),
    ligands: z.array(z.enum(LIGAND_IDS)).max(3).default([]),
    duration_h: z.number().finite().positive().max(LIMITS.maxDurationH).default(168),
  })
  .strict();

/** Exosome pharmacokinetics per route: where the particles go, how much reaches the infarct. */
export const deliveryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/api/delivery",
    {
      schema: {
        tags: ["delivery"],
        summary: "Simulate delivery of a dosing plan: particles per compartment over time, cardiac exposure",
        body: DeliveryRequest,
        response: {
          200: z.object({
            species: z.string(),
            injury: z.string(),
            ligands: z.array(z.string()),
            extrapolated: z.boolean(),
            warnings: z.array(z.string()),
            time_unit: z.literal("h"),
            times: z.array(z.number()),
            compartments: z.record(z.string(), z.array(z.number())).describe("particles per compartment"),
            heart: z.array(z.number()).describe("particles in the heart"),
            blood_concentration_per_ml: z.array(z.number()),
            cardiac_exposure: z.number().describe("particle·h in infarct/border zone"),
            cardiac_exposure_per_particle: z.number().describe("h"),
            liver_spleen_pct_24h: z.number(),
            liver_spleen_uptake_pct: z.number(),
            cardiac_retention_pct_end: z.number(),
          }),
          400: ApiError,
        },
      },
    },
    async (req) => {
      const b = req.body;
      const r = simulateDelivery({
        species: b.species,
        injury: b.injury,
        doses: b.doses,
        ligands: b.ligands,
        duration_h: b.duration_h,
      });
      return {
        species: r.species,
        injury: r.injury,
        ligands: r.ligands,
        extrapolated: r.extrapolated,
        warnings: r.warnings,
        time_unit: "h" as const,
        times: r.times,
        compartments: r.compartments,
        heart: r.heart,
        blood_concentration_per_ml: r.bloodConcentrationPerMl,
        cardiac_exposure: r.cardiacExposure,
        cardiac_exposure_per_particle: r.cardiacExposurePerParticle,
        liver_spleen_pct_24h: r.liverSpleenPct24h,
        liver_spleen_uptake_pct: r.liverSpleenUptakePct,
        cardiac_retention_pct_end: r.cardiacRetentionPct(r.duration_h),
      };
    },
  );
};
