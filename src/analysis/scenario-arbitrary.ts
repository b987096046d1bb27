import fc from "fast-check";
import { LIGAND_IDS, listRoutes } from "../delivery/index.ts";
import { cargoSpecies, loadCargoFile } from "../engineering/cargo.ts";
import { listDesigns } from "../engineering/designs.ts";
import { loadInjuryModels } from "../scenario/injury.ts";
import { type EngineeringStep, INJURIES, type ScenarioInput, SOURCES, SPECIES } from "../scenario/schema.ts";
import { defaultNetwork } from "../scenario/simulate.ts";

/**
 * Random *valid* scenarios, as fast-check arbitraries: one definition serves the property tests
 * (fc.assert) and `exomi check-invariants` (fc.sample with a seed), so both explore the same space.
 *
 * Every species, injury, route, built-in design and engineering step, exosome source (with donor age
 * for bone-marrow MSCs), dose 1e6–1e13 particles (log-uniform), dose time 0–336 h, repeat schedules of
 * 1–6 doses and durations of 168–2160 h. Only combinations the model accepts are generated (the
 * delivery module rejects the others with an InputError, which is input checking, not an invariant):
 * the in-vitro route goes with hypoxia-reoxygenation or no injury and vice versa; in-vitro and ex vivo
 * perfusion are single whole set-ups (one dose, no other route); doses come before the end of the run.
 */

export const DOSE_LOG10 = [6, 13] as const;
export const MAX_DOSE_TIME_H = 336;
export const DURATION_H = [168, 2160] as const;
export const MAX_REPEAT_DOSES = 6;

// routes whose set-up excludes any other route and any second dose (src/delivery/validate.ts)
const EXCLUSIVE_MODES = new Set(["in-vitro", "perfusion"]);

/** Rounded values keep a reported scenario readable and reproducible as typed. */
const round = (x: number, step: number) => Math.round(x / step) * step;
const sig3 = (x: number) => Number(x.toPrecision(3));

function routeIdsFor(injury: string): { all: string[]; combinable: string[] } {
  const routes = listRoutes();
  const inVitroInjury = injury === "hypoxia-reoxygenation";
  const all = routes
    .filter((r) => (inVitroInjury ? r.mode === "in-vitro" : r.mode !== "in-vitro" || injury === "none"))
    .map((r) => r.id);
  const combinable = routes
    .filter((r) => !EXCLUSIVE_MODES.has(r.mode) && all.includes(r.id))
    .map((r) => r.id);
  return { all, combinable };
}

/** Every engineering step the model accepts, from the data files (cargo.yaml, the network, ligands). */
function engineeringStep(): fc.Arbitrary<EngineeringStep> {
  const file = loadCargoFile();
  const cargo = cargoSpecies(defaultNetwork());
  const steps: fc.Arbitrary<EngineeringStep>[] = [
    fc.constantFrom(...Object.keys(file.engineering.overexpress)).map((gene) => ({
      kind: "overexpress" as const,
      gene,
    })),
    fc.constantFrom(...cargo).map((molecule) => ({ kind: "load" as const, molecule })),
    fc.constantFrom(...cargo).map((molecule) => ({ kind: "knockdown" as const, molecule })),
    fc.constant({ kind: "precondition" as const, condition: "hypoxia" as const }),
    fc.constantFrom(...LIGAND_IDS).map((ligand) => ({ kind: "surface" as const, ligand })),
  ];
  return fc.oneof(...steps);
}

/** Engineering of a built-in design (data/designs.yaml) or 0–3 free steps. */
function engineering(): fc.Arbitrary<EngineeringStep[]> {
  const designs = listDesigns();
  return fc.oneof(
    fc.constantFrom(...designs).map((d) => d.therapy.engineering.map((s) => ({ ...s }))),
    fc.array(engineeringStep(), { maxLength: 3 }),
  );
}

/**
 * Uniform on [min, max]. fc.double is uniform over the binary representations, not over the reals
 * (it favours small magnitudes), so a uniform integer is scaled instead. In property tests fast-check
 * still biases integers towards the bounds (edge cases); sampleScenarios switches that off.
 */
const uniform = (min: number, max: number) => {
  const N = 2 ** 30;
  return fc.integer({ min: 0, max: N }).map((i) => min + ((max - min) * i) / N);
};

const doseParticles = uniform(DOSE_LOG10[0], DOSE_LOG10[1]).map((e) =>
  Math.min(10 ** DOSE_LOG10[1], Math.max(10 ** DOSE_LOG10[0], sig3(10 ** e))),
);

const doseTime = (duration: number) =>
  uniform(0, Math.min(MAX_DOSE_TIME_H, duration - 1)).map((t) => Math.max(0, round(t, 0.25)));

function therapy(injury: string, duration: number): fc.Arbitrary<NonNullable<ScenarioInput["therapy"]>> {
  const { all, combinable } = routeIdsFor(injury);
  const base = fc.record(
    {
      source: fc.constantFrom(...SOURCES),
      donor_age_years: fc.integer({ min: 0, max: 100 }),
      engineering: engineering(),
      route: fc.constantFrom(...all),
      dose_particles: doseParticles,
      time_h: doseTime(duration),
    },
    { requiredKeys: ["source", "engineering", "route", "dose_particles", "time_h"] },
  );
  return base.chain((th) => {
    // donor age is a bone-marrow MSC property (cargo declines with age)
    // spread copies: fast-check may build records without a prototype, which print oddly
    const t = { ...th, engineering: th.engineering.map((s) => ({ ...s })) };
    if (t.source !== "bm-msc") delete t.donor_age_years;
    if (!combinable.includes(t.route)) return fc.constant(t);
    const repeat = fc
      .array(
        fc.record({
          time_h: doseTime(duration),
          dose_particles: doseParticles,
          // mostly the same route again; sometimes a mixed schedule
          route: fc.oneof({ weight: 3, arbitrary: fc.constant(t.route) }, fc.constantFrom(...combinable)),
        }),
        { minLength: 1, maxLength: MAX_REPEAT_DOSES },
      )
      .map((doses) => ({ ...t, doses: doses.map((d) => ({ ...d })) }));
    return fc.oneof(fc.constant(t), repeat);
  });
}

/** A random valid scenario (plain JSON, as a person would write it). */
export function scenarioArbitrary(): fc.Arbitrary<ScenarioInput> {
  const injuries = loadInjuryModels();
  return fc
    .record({
      species: fc.constantFrom(...SPECIES),
      injury: fc.constantFrom(...INJURIES),
      duration_h: fc.integer({ min: DURATION_H[0], max: DURATION_H[1] }),
    })
    .chain(({ species, injury, duration_h }) => {
      const transient = injuries[injury]?.occlusion === "transient";
      return fc
        .record({
          therapy: fc.option(therapy(injury, duration_h), { nil: null, freq: 6 }),
          ischemia_h: transient
            ? fc.option(
                uniform(0.1, 24).map((h) => Math.min(24, Math.max(0.1, round(h, 0.05)))),
                { nil: undefined, freq: 4 },
              )
            : fc.constant(undefined),
        })
        .map(({ therapy: th, ischemia_h }) => {
          const s: ScenarioInput = { species, injury, duration_h, therapy: th };
          if (ischemia_h !== undefined) s.ischemia_h = Number(ischemia_h.toFixed(2));
          return s;
        });
    });
}

/**
 * n scenarios, the same for the same seed (fast-check's own seeded generator), without fast-check's
 * bias towards small and boundary values: doses log-uniform, times and durations uniform, as stated.
 */
export function sampleScenarios(n: number, seed: number): ScenarioInput[] {
  return fc.sample(fc.noBias(scenarioArbitrary()), { numRuns: n, seed });
}
