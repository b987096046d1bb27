import "../scenario/all-readouts.ts";
import { loadInjuryModels } from "../scenario/injury.ts";
import { DERIVED_READOUTS, isDerivedReadout, readoutValue } from "../scenario/readouts.ts";
import type { Scenario, ScenarioInput } from "../scenario/schema.ts";
import { defaultNetwork, type SimulationResult, simulate } from "../scenario/simulate.ts";
import { tissueParams } from "../tissue/model.ts";

/**
 * Physiological and numerical invariants every valid scenario must satisfy (issue 13, item 2). Each
 * invariant reads a simulation through the readout API (never the model's internals) and returns
 * one message per violation; none encodes an expected model output, only bounds that any heart, or
 * any correct integration, obeys. Paired invariants run a second scenario through `ctx.run`.
 *
 * Invariants see an `Observed` (readouts and species on the output grid) rather than a
 * SimulationResult, so the tests can doctor one and show that each invariant can fail.
 */

export interface Observed {
  scenario: Scenario;
  /** output times, h */
  times: readonly number[];
  /** every readout at every output time */
  readouts: Record<string, Float64Array>;
  /** network species: ids, their ymax, values row-major (time × species) */
  species: { ids: readonly string[]; ymax: readonly number[]; y: Float64Array };
}

/** Per-species reference values the bounds are relative to. */
export interface References {
  /** sham (uninjured) LVEF, % */
  ef_sham: number;
  /** sham LV end-diastolic dimension, mm */
  lvedd_sham: number;
  /** area at risk, fraction of LV */
  area_at_risk: number;
}

export interface Context {
  references(species: Scenario["species"]): References;
  /** simulate a scenario and observe it (on the given output times, else the default grid) */
  run(input: ScenarioInput | Scenario, opts?: { times?: number[] }): Observed;
}

export interface Invariant {
  id: string;
  description: string;
  /** runs second scenarios (costs one or more extra simulations) */
  paired?: boolean;
  check(obs: Observed, ctx: Context): string[];
}

/** Readout ids: the network's effect outputs, then the derived (tissue, delivery) readouts. */
export function readoutIds(): string[] {
  const effects = defaultNetwork()
    .species.filter((s) => s.readout)
    .map((s) => s.readout!);
  return [...effects, ...DERIVED_READOUTS];
}

/** Observe a result: every readout at every output time, and the raw species values with their ymax. */
export function observe(r: SimulationResult): Observed {
  const times = Array.from(r.times);
  const readouts: Record<string, Float64Array> = {};
  for (const id of readoutIds()) {
    if (isDerivedReadout(id)) readouts[id] = Float64Array.from(times, (t) => readoutValue(r, id, t));
    // a network readout's series at once (result.at would copy the whole series per time)
    else readouts[id] = r.series(id);
  }
  const byId = new Map(defaultNetwork().species.map((s) => [s.id, s.ymax]));
  const ymax = r.speciesIds.map((id) => byId.get(id) ?? 1);
  return { scenario: r.scenario, times, readouts, species: { ids: r.speciesIds, ymax, y: r.y } };
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));
const at = (t: number) => `t=${fmt(t)} h`;
// float slack for bounds that hold with equality in exact arithmetic
const slack = (bound: number) => 1e-9 * Math.max(1, Math.abs(bound));

/** Value of a readout series at time t (linear between output times; clamped at the ends). */
export function valueAt(obs: Observed, id: string, t: number): number {
  const x = obs.readouts[id];
  const ts = obs.times;
  if (t <= ts[0]) return x[0];
  if (t >= ts[ts.length - 1]) return x[ts.length - 1];
  let lo = 0;
  let hi = ts.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= t) lo = mid;
    else hi = mid;
  }
  const w = ts[hi] === ts[lo] ? 0 : (t - ts[lo]) / (ts[hi] - ts[lo]);
  return x[lo] + w * (x[hi] - x[lo]);
}

/** Messages for every output time where `bad(k)` returns one. */
function overTimes(obs: Observed, bad: (k: number) => string | undefined): string[] {
  const out: string[] = [];
  for (let k = 0; k < obs.times.length; k++) {
    const m = bad(k);
    if (m) out.push(`${at(obs.times[k])}: ${m}`);
  }
  return out;
}

/** A readout's series, or undefined when the model does not have it (lvesd, area_at_risk are new). */
const series = (obs: Observed, id: string) => obs.readouts[id] as Float64Array | undefined;

/**
 * Area at risk at output time k, as a fraction of the LV: the `area_at_risk` readout when the model
 * has one, else the species' tissue parameter. A readout above 1 is taken to be in percent.
 */
function areaAtRisk(obs: Observed, ctx: Context, k: number): number {
  const a = series(obs, "area_at_risk");
  if (a) return a[k] > 1 ? a[k] / 100 : a[k];
  return ctx.references(obs.scenario.species).area_at_risk;
}

/**
 * Capillary ceiling, /mm². Assumption (not a sourced value): myocardial capillary density cannot
 * exceed about one capillary per cardiomyocyte, roughly 2–3 × the normal ~2,800–3,000/mm² of
 * data/tissue.yaml; 6,000/mm² is that ceiling, fixed so it does not move with the model's parameters.
 */
export const CAPILLARY_CEILING_PER_MM2 = 6000;
/** LVEF may exceed sham only by this many points (measurement-scale slack, not physiology). */
export const LVEF_ABOVE_SHAM_POINTS = 0.5;
/** LVEDD stays within these multiples of sham: a shrunken or doubled LV is outside any MI model. */
export const LVEDD_SHAM_RANGE = [0.8, 2] as const;
/** Output-grid independence: readouts agree within this relative tolerance (plus an absolute floor). */
export const GRID_RTOL = 1e-3;
export const GRID_ATOL = 1e-6;
/**
 * Occlusions up to this long must give a strictly smaller infarct than permanent ligation. Longer
 * ones may equal it: assumption (not a sourced value) that after ~6 h of occlusion little at-risk
 * myocardium is left for reperfusion to salvage, so "smaller" would demand a difference the biology
 * need not show. The reference point is 30–60 min I/R (Michael 1995, research/efficacy.md).
 */
export const SALVAGE_WINDOW_H = 6;
/**
 * "Not larger" comparisons of two infarcts allow this relative difference: the scenario solver's
 * rtol (SCENARIO_SOLVER), so only differences the integration cannot explain count.
 */
export const INFARCT_RTOL = 1e-4;
/**
 * After the salvage window, reperfusion salvages almost nothing but still brings its own injury
 * load: a late-reperfused infarct may exceed the permanent one slightly (assumption: by at most 2%
 * of its size), never by more.
 */
export const LATE_REPERFUSION_RTOL = 0.02;
/**
 * Species may leave [0, ymax] by this fraction of ymax: integration error, not state. The scenario
 * solver controls each step's local error to atol 1e-7 + rtol 1e-4; its dense output between steps is
 * less accurate where an input has a kink inside a step (a cargo input saturating at min(1, ·) under
 * a large dose: measured up to 1.0025 × ymax at output times between late, long steps, in 1 of 2000
 * random scenarios with seed 1, though the exact solution is ≤ ymax since the input weight is ≤ 1).
 * So the slack is 0.5% of ymax; a modelling error (a weight above 1, a missing bound) overshoots by
 * far more and is caught.
 */
export const SPECIES_SLACK = 5e-3;
/** Day 28, when the paired infarct comparisons are read. */
export const DAY28_H = 672;

const boundedSeries = (
  id: string,
  lo: (obs: Observed, ctx: Context, k: number) => number,
  hi: (obs: Observed, ctx: Context, k: number) => number,
  unit = "",
) => {
  return (obs: Observed, ctx: Context): string[] => {
    const x = series(obs, id);
    if (!x) return [];
    return overTimes(obs, (k) => {
      const a = lo(obs, ctx, k);
      const b = hi(obs, ctx, k);
      return x[k] >= a - slack(a) && x[k] <= b + slack(b)
        ? undefined
        : `${id} ${fmt(x[k])}${unit} outside [${fmt(a)}, ${fmt(b)}]${unit}`;
    });
  };
};

function untreated(s: Scenario, change: Partial<Scenario>): Scenario {
  return { ...s, therapy: null, perturb: {}, duration_h: DAY28_H, ...change };
}

function ischemiaHours(s: Scenario): number {
  if (s.ischemia_h !== undefined) return s.ischemia_h;
  const m = loadInjuryModels()[s.injury];
  return m && m.occlusion === "transient" ? m.ischemia_h : 1;
}

export const INVARIANTS: readonly Invariant[] = [
  {
    id: "finite",
    description: "every readout and species value is finite",
    check(obs) {
      const out: string[] = [];
      for (const [id, x] of Object.entries(obs.readouts)) {
        const k = x.findIndex((v) => !Number.isFinite(v));
        if (k >= 0) out.push(`${at(obs.times[k])}: ${id} = ${x[k]}`);
      }
      const n = obs.species.ids.length;
      const k = obs.species.y.findIndex((v) => !Number.isFinite(v));
      if (k >= 0)
        out.push(
          `${at(obs.times[Math.floor(k / n)])}: species ${obs.species.ids[k % n]} = ${obs.species.y[k]}`,
        );
      return out;
    },
  },
  {
    id: "species-within-ymax",
    description: `every network species within [0, ymax] (± ${SPECIES_SLACK} × ymax for integration error)`,
    check(obs) {
      const { ids, ymax, y } = obs.species;
      const n = ids.length;
      const out: string[] = [];
      for (let i = 0; i < y.length; i++) {
        const j = i % n;
        if (y[i] < -SPECIES_SLACK * ymax[j] || y[i] > ymax[j] * (1 + SPECIES_SLACK))
          out.push(`${at(obs.times[Math.floor(i / n)])}: ${ids[j]} = ${y[i]} outside [0, ${ymax[j]}]`);
      }
      return out;
    },
  },
  {
    id: "infarct-within-area-at-risk",
    description: "0 ≤ infarct_size ≤ 100 × area at risk",
    check: boundedSeries(
      "infarct_size",
      () => 0,
      (obs, ctx, k) => 100 * areaAtRisk(obs, ctx, k),
      " %",
    ),
  },
  {
    id: "fs-below-lvef",
    description: "0 < FS < LVEF < 100 wherever LVEF > 0",
    check(obs) {
      const ef = series(obs, "lvef");
      const fs = series(obs, "fractional_shortening");
      if (!ef || !fs) return [];
      return overTimes(obs, (k) =>
        ef[k] > 0 && !(fs[k] > 0 && fs[k] < ef[k] && ef[k] < 100)
          ? `FS ${fmt(fs[k])} %, LVEF ${fmt(ef[k])} % (need 0 < FS < LVEF < 100)`
          : undefined,
      );
    },
  },
  {
    id: "lvesd-below-lvedd",
    description: "0 < LVESD < LVEDD (when the model has an lvesd readout)",
    check(obs) {
      const es = series(obs, "lvesd");
      const ed = series(obs, "lvedd");
      if (!es || !ed) return [];
      return overTimes(obs, (k) =>
        es[k] > 0 && es[k] < ed[k] ? undefined : `LVESD ${fmt(es[k])} mm, LVEDD ${fmt(ed[k])} mm`,
      );
    },
  },
  {
    id: "lvedd-range",
    description: `LVEDD within [${LVEDD_SHAM_RANGE[0]}, ${LVEDD_SHAM_RANGE[1]}] × sham`,
    check: boundedSeries(
      "lvedd",
      (obs, ctx) => LVEDD_SHAM_RANGE[0] * ctx.references(obs.scenario.species).lvedd_sham,
      (obs, ctx) => LVEDD_SHAM_RANGE[1] * ctx.references(obs.scenario.species).lvedd_sham,
      " mm",
    ),
  },
  {
    id: "capillary-ceiling",
    description: `capillary density within [0, ${CAPILLARY_CEILING_PER_MM2}]/mm² (assumed ceiling: ~1 capillary per cardiomyocyte)`,
    check: boundedSeries(
      "capillary_density",
      () => 0,
      () => CAPILLARY_CEILING_PER_MM2,
      "/mm²",
    ),
  },
  {
    id: "collagen-range",
    description: "collagen_fraction within [0, 100] %",
    check: boundedSeries(
      "collagen_fraction",
      () => 0,
      () => 100,
      " %",
    ),
  },
  {
    id: "retention-range",
    description: "cardiac_retention (% of the dose in the heart) within [0, 100]",
    check: boundedSeries(
      "cardiac_retention",
      () => 0,
      () => 100,
      " %",
    ),
  },
  {
    id: "lvef-below-sham",
    description: `LVEF ≤ the species' sham LVEF + ${LVEF_ABOVE_SHAM_POINTS} points`,
    check: boundedSeries(
      "lvef",
      () => Number.NEGATIVE_INFINITY,
      (obs, ctx) => ctx.references(obs.scenario.species).ef_sham + LVEF_ABOVE_SHAM_POINTS,
      " %",
    ),
  },
  {
    id: "output-grid-independence",
    description: `readouts at 0, 168 h and the end agree with a run on only those output times (rel. ${GRID_RTOL})`,
    paired: true,
    check(obs, ctx) {
      const end = obs.scenario.duration_h;
      const times = [...new Set([0, Math.min(168, end), end])];
      const coarse = ctx.run(obs.scenario, { times });
      const out: string[] = [];
      for (const id of Object.keys(obs.readouts)) {
        if (!coarse.readouts[id]) continue;
        for (const t of times) {
          const a = valueAt(obs, id, t);
          const b = valueAt(coarse, id, t);
          if (!(Math.abs(a - b) <= GRID_RTOL * Math.max(Math.abs(a), Math.abs(b)) + GRID_ATOL))
            out.push(`${at(t)}: ${id} ${fmt(a)} on the default grid vs ${fmt(b)} on [${times.join(", ")}]`);
        }
      }
      return out;
    },
  },
  {
    id: "ir-smaller-than-permanent",
    description: `untreated I/R infarct at day 28 < permanent ligation's, same species (after > ${SALVAGE_WINDOW_H} h of ischemia: ≤ ${100 * LATE_REPERFUSION_RTOL}% above it; I/R scenarios)`,
    paired: true,
    check(obs, ctx) {
      const s = obs.scenario;
      if (s.injury !== "ischemia-reperfusion") return [];
      const h = ischemiaHours(s);
      const ir = valueAt(ctx.run(untreated(s, { ischemia_h: h })), "infarct_size", DAY28_H);
      const pl = valueAt(
        ctx.run(untreated(s, { injury: "permanent-ligation", ischemia_h: undefined })),
        "infarct_size",
        DAY28_H,
      );
      const ok = h <= SALVAGE_WINDOW_H ? ir < pl : ir <= pl + LATE_REPERFUSION_RTOL * Math.abs(pl);
      return ok
        ? []
        : [
            `${s.species}: I/R (${h} h) infarct ${fmt(ir)} % ${h <= SALVAGE_WINDOW_H ? "≥" : ">"} permanent ligation ${fmt(pl)} % at day 28`,
          ];
    },
  },
  {
    id: "ir-nondecreasing-in-ischemia",
    description: "untreated I/R infarct at day 28 does not shrink with longer ischemia (I/R scenarios)",
    paired: true,
    check(obs, ctx) {
      const s = obs.scenario;
      if (s.injury !== "ischemia-reperfusion") return [];
      const h = ischemiaHours(s);
      // compare with a 4× longer (or, near the 24 h limit, 4× shorter) occlusion
      const [short, long] = h <= 6 ? [h, Math.min(24, 4 * h)] : [h / 4, h];
      const a = valueAt(ctx.run(untreated(s, { ischemia_h: short })), "infarct_size", DAY28_H);
      const b = valueAt(ctx.run(untreated(s, { ischemia_h: long })), "infarct_size", DAY28_H);
      return a <= b + INFARCT_RTOL * Math.abs(b)
        ? []
        : [`${s.species}: I/R infarct ${fmt(a)} % after ${fmt(short)} h > ${fmt(b)} % after ${fmt(long)} h`];
    },
  },
];

/** Id of the pseudo-invariant "a valid scenario simulates without throwing". */
export const SIMULATES = "simulates";
export const INVARIANT_IDS: readonly string[] = [SIMULATES, ...INVARIANTS.map((i) => i.id)];

/**
 * The context the command and tests use: references from the species' tissue parameters (falling
 * back to an uninjured run when a parameter is renamed), and a small cache of runs, because the
 * paired invariants ask for the same untreated baselines again and again.
 */
export function defaultContext(): Context {
  const refs = new Map<string, References>();
  const cache = new Map<string, Observed>();
  const ctx: Context = {
    run(input, opts = {}) {
      const key = JSON.stringify([input, opts.times ?? null]);
      let o = input.therapy ? undefined : cache.get(key);
      if (!o) {
        o = observe(simulate(input, opts.times ? { times: opts.times } : {}));
        // only untreated baselines repeat (the paired invariants' references): keep a few dozen
        if (!input.therapy) {
          if (cache.size >= 48) cache.delete(cache.keys().next().value!);
          cache.set(key, o);
        }
      }
      return o;
    },
    references(species) {
      let r = refs.get(species);
      if (!r) {
        const p = tissueParams(species) as unknown as Record<string, number | undefined>;
        const sham = () => ctx.run({ species, injury: "none", therapy: null, duration_h: DAY28_H });
        r = {
          ef_sham: p.ef_sham ?? valueAt(sham(), "lvef", DAY28_H),
          lvedd_sham: p.lvedd_sham_mm ?? valueAt(sham(), "lvedd", DAY28_H),
          area_at_risk: p.area_at_risk ?? Number.NaN,
        };
        refs.set(species, r);
      }
      return r;
    },
  };
  return ctx;
}

export interface InvariantViolation {
  invariant: string;
  /** violations found (e.g. output times) */
  count: number;
  /** the first few messages */
  messages: string[];
}

export interface ScenarioCheck {
  scenario: ScenarioInput;
  violations: InvariantViolation[];
  ms: number;
}

const KEPT_MESSAGES = 3;

/**
 * Simulate one scenario and check every invariant. A valid scenario that throws violates
 * `simulates`; an invariant that throws is reported as its own violation, never as a crash.
 */
export function checkScenario(
  input: ScenarioInput,
  ctx: Context = defaultContext(),
  invariants: readonly Invariant[] = INVARIANTS,
): ScenarioCheck {
  const t0 = performance.now();
  const violations: InvariantViolation[] = [];
  const add = (invariant: string, messages: string[]) => {
    if (messages.length > 0)
      violations.push({ invariant, count: messages.length, messages: messages.slice(0, KEPT_MESSAGES) });
  };
  let obs: Observed | undefined;
  try {
    obs = ctx.run(input);
  } catch (e) {
    add(SIMULATES, [(e as Error).message]);
  }
  if (obs) {
    for (const inv of invariants) {
      try {
        add(inv.id, inv.check(obs, ctx));
      } catch (e) {
        add(inv.id, [`threw: ${(e as Error).message}`]);
      }
    }
  }
  return { scenario: input, violations, ms: performance.now() - t0 };
}
