import { InputError } from "../core/errors.ts";
import {
  type DeliveryData,
  type DeliveryInput,
  type DoseInput,
  INJURY_IDS,
  type InjuryId,
  LIGAND_IDS,
  type LigandId,
  MAX_DOSE_PARTICLES,
  MAX_DURATION_H,
  ROUTE_IDS,
  type RouteDef,
  SPECIES_IDS,
  type SpeciesId,
} from "./schema.ts";

/** A checked input: doses sorted by time, injury and ligands resolved (route defaults added). */
export interface NormalizedInput {
  species: SpeciesId;
  doses: DoseInput[];
  ligands: LigandId[];
  injury: InjuryId;
  duration_h: number;
  outputTimes: number[];
}

const isIn = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === "string" && (list as readonly string[]).includes(v);

function finiteIn(field: string, v: unknown, lo: number, hi: number, loOpen: boolean, what: string): number {
  const ok = typeof v === "number" && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi;
  // JSON would print NaN/Infinity as null; show them as written.
  const shown = typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
  if (!ok) throw new InputError(field, shown, [], `must be a finite number, ${what}`);
  return v as number;
}

/** Check a delivery input against the loaded routes; every problem names its field and what is allowed. */
export function normalizeInput(input: DeliveryInput, data: DeliveryData): NormalizedInput {
  if (!input || typeof input !== "object") throw new InputError("input", input, [], "expected an object");
  if (!isIn(SPECIES_IDS, input.species)) throw new InputError("species", input.species, SPECIES_IDS);
  const duration = finiteIn(
    "duration_h",
    input.duration_h,
    0,
    MAX_DURATION_H,
    true,
    `0 < duration_h ≤ ${MAX_DURATION_H}`,
  );

  if (!Array.isArray(input.doses) || input.doses.length === 0) {
    throw new InputError(
      "doses",
      input.doses,
      [],
      "expected a non-empty array of {time_h, dose_particles, route}",
    );
  }
  const routes = new Map<string, RouteDef>(data.routes.routes.map((r) => [r.id, r]));
  const doses: DoseInput[] = input.doses.map((d, i) => {
    const f = `doses[${i}]`;
    if (!d || typeof d !== "object")
      throw new InputError(f, d, [], "expected {time_h, dose_particles, route}");
    if (!isIn(ROUTE_IDS, d.route)) throw new InputError(`${f}.route`, d.route, ROUTE_IDS);
    const time_h = finiteIn(
      `${f}.time_h`,
      d.time_h,
      0,
      duration,
      false,
      `hours after the injury, 0 ≤ time_h < duration_h (${duration})`,
    );
    if (time_h >= duration)
      throw new InputError(`${f}.time_h`, time_h, [], `must be before duration_h (${duration})`);
    const dose_particles = finiteIn(
      `${f}.dose_particles`,
      d.dose_particles,
      0,
      MAX_DOSE_PARTICLES,
      true,
      `particles, 0 < dose_particles ≤ ${MAX_DOSE_PARTICLES.toExponential()}`,
    );
    return { time_h, dose_particles, route: d.route };
  });
  doses.sort((a, b) => a.time_h - b.time_h);

  // In vitro and ex vivo perfusion are whole experimental set-ups, not combinable with other routes.
  const modes = new Set(doses.map((d) => routes.get(d.route)!.mode));
  for (const exclusive of ["in-vitro", "perfusion"] as const) {
    if (modes.has(exclusive) && modes.size > 1) {
      throw new InputError(
        "doses.route",
        doses.map((d) => d.route).join(","),
        [],
        `a ${exclusive} route cannot be combined with other routes`,
      );
    }
  }
  if (modes.has("perfusion") && doses.length > 1) {
    throw new InputError(
      "doses",
      doses.length,
      [],
      "ex vivo perfusion takes a single dose (one perfusion run)",
    );
  }

  const requested = input.ligands ?? [];
  if (!Array.isArray(requested)) throw new InputError("ligands", requested, LIGAND_IDS, "expected an array");
  for (const l of requested) if (!isIn(LIGAND_IDS, l)) throw new InputError("ligands", l, LIGAND_IDS);
  const ligands = new Set<LigandId>(requested);
  if (input.defaultLigands !== false) {
    for (const d of doses) for (const l of routes.get(d.route)!.default_ligands) ligands.add(l);
  }

  const first = routes.get(doses[0].route)!;
  const injury = input.injury ?? first.default_injury;
  if (!isIn(INJURY_IDS, injury)) throw new InputError("injury", injury, INJURY_IDS);
  const inVitro = first.mode === "in-vitro";
  const injuryDef = data.routes.injuries[injury];
  if (inVitro && !(injuryDef.in_vitro_only || injury === "none")) {
    throw new InputError(
      "injury",
      injury,
      ["hypoxia-reoxygenation", "none"],
      "the in-vitro route needs an in vitro injury",
    );
  }
  if (!inVitro && injuryDef.in_vitro_only) {
    const inVivo = INJURY_IDS.filter((i) => !data.routes.injuries[i].in_vitro_only);
    throw new InputError("injury", injury, inVivo, "an in vitro injury needs the in-vitro route");
  }

  // checked inline, naming the field only on failure: ~200 times per run, once per cohort member
  const outputTimes = (input.outputTimes ?? defaultOutputTimes(duration)).map((t, i) =>
    typeof t === "number" && t >= 0 && t <= duration
      ? t
      : finiteIn(`outputTimes[${i}]`, t, 0, duration, false, `0 ≤ t ≤ duration_h (${duration})`),
  );
  return { species: input.species, doses, ligands: [...ligands], injury, duration_h: duration, outputTimes };
}

/** About 200 evenly spaced times, never finer than 0.1 h. */
function defaultOutputTimes(duration: number): number[] {
  const n = Math.max(1, Math.min(200, Math.round(duration / 0.1)));
  const times = new Array<number>(n + 1);
  for (let i = 0; i <= n; i++) times[i] = (duration * i) / n;
  return times;
}
