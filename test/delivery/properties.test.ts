import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DeliveryInput,
  type InjuryId,
  type LigandId,
  loadDeliveryData,
  parameterTable,
  type RouteId,
  simulateDelivery,
} from "../../src/delivery/index.ts";

const data = loadDeliveryData();
const params = parameterTable(data);
const ranged = params.filter((p) => p.max > p.min);

/** One random member of a virtual cohort: every parameter drawn from its documented range. */
const parameterSet = fc
  .tuple(...ranged.map((p) => fc.double({ min: p.min, max: p.max, noNaN: true })))
  .map((values) => Object.fromEntries(ranged.map((p, i) => [p.key, values[i]])));

const SYSTEMIC_ROUTES: RouteId[] = data.routes.routes
  .filter((r) => r.mode === "systemic" || r.mode === "local")
  .map((r) => r.id);
const IN_VIVO_INJURIES = (Object.keys(data.routes.injuries) as InjuryId[]).filter(
  (i) => !data.routes.injuries[i].in_vitro_only,
);

const DURATION = 72;

/** Valid dosing plans: 1–3 doses of local/systemic routes, or one ex vivo perfusion, or in vitro doses. */
const plan: fc.Arbitrary<DeliveryInput> = fc.oneof(
  fc.record({
    species: fc.constantFrom("mouse" as const, "rat" as const, "human" as const),
    doses: fc.array(
      fc.record({
        time_h: fc.double({ min: 0, max: 60, noNaN: true }),
        dose_particles: fc.double({ min: 1e6, max: 1e13, noNaN: true }),
        route: fc.constantFrom(...SYSTEMIC_ROUTES),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    ligands: fc.subarray<LigandId>(["CHP", "IMTP", "CP05"]),
    injury: fc.constantFrom(...IN_VIVO_INJURIES),
    duration_h: fc.constant(DURATION),
  }),
  fc.record({
    species: fc.constantFrom("mouse" as const, "rat" as const),
    doses: fc.tuple(
      fc.record({
        time_h: fc.double({ min: 0, max: 24, noNaN: true }),
        dose_particles: fc.double({ min: 1e6, max: 1e12, noNaN: true }),
        route: fc.constantFrom<RouteId>("ex-vivo-perfusion", "in-vitro"),
      }),
    ),
    duration_h: fc.constant(DURATION),
  }),
);

const administeredBy = (input: DeliveryInput, t: number) =>
  input.doses.filter((d) => d.time_h <= t).reduce((s, d) => s + d.dose_particles, 0);

/** Output times away from dose instants (the dense table interpolates across a dose within one row). */
const checkTimes = (input: DeliveryInput) =>
  Array.from({ length: 37 }, (_, i) => i * 2).filter((t) =>
    input.doses.every((d) => t < d.time_h - 0.1 || t > d.time_h + 0.1),
  );

describe("delivery model properties (random valid parameters and dosing plans)", () => {
  it("mass balance: particles are conserved or cleared, never created", () => {
    fc.assert(
      fc.property(plan, parameterSet, (input, parameters) => {
        const times = checkTimes(input);
        const r = simulateDelivery({ ...input, outputTimes: times }, { parameters });
        let lastEliminated = 0;
        times.forEach((t, k) => {
          const total = Object.values(r.compartments).reduce((s, c) => s + c[k], 0);
          const given = administeredBy(input, t);
          expect(Math.abs(total - given)).toBeLessThanOrEqual(1e-9 * Math.max(given, 1));
          const eliminated = r.compartments.eliminated[k];
          expect(eliminated).toBeGreaterThanOrEqual(lastEliminated - 1e-9 * Math.max(given, 1));
          lastEliminated = eliminated;
        });
      }),
      { numRuns: 30 },
    );
  });

  it("non-negativity: no compartment, exposure or cargo goes below zero", () => {
    fc.assert(
      fc.property(plan, parameterSet, (input, parameters) => {
        const r = simulateDelivery(input, { parameters });
        const tol = 1e-12 * r.totalDose;
        for (const series of Object.values(r.compartments))
          for (const v of series) expect(v).toBeGreaterThanOrEqual(-tol);
        expect(r.cardiacExposure).toBeGreaterThanOrEqual(0);
        for (let t = 0; t <= DURATION; t += 3) {
          expect(r.intracellularCargo(t)).toBeGreaterThanOrEqual(-tol);
          expect(r.cardiacRetentionPct(t)).toBeGreaterThanOrEqual(-1e-9);
          expect(r.cardiacRetentionPct(t)).toBeLessThanOrEqual(100 + 1e-6);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("exposure is monotonic (and linear) in dose", () => {
    fc.assert(
      fc.property(
        plan,
        parameterSet,
        fc.double({ min: 1.001, max: 1000, noNaN: true }),
        (input, parameters, factor) => {
          const low = simulateDelivery(input, { parameters });
          const scaled = {
            ...input,
            doses: input.doses.map((d) => ({
              ...d,
              dose_particles: Math.min(d.dose_particles * factor, 1e15),
            })),
          };
          const high = simulateDelivery(scaled, { parameters });
          expect(high.cardiacExposure).toBeGreaterThanOrEqual(low.cardiacExposure);
          if (input.doses.every((d) => d.dose_particles * factor <= 1e15) && low.cardiacExposure > 0) {
            expect(high.cardiacExposure / low.cardiacExposure).toBeCloseTo(
              factor,
              6 - Math.ceil(Math.log10(factor)),
            );
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
