import { parse } from "yaml";
import { z } from "zod";
import { readDataFile } from "../data/files.ts";
import type { SimulationResult } from "../scenario/simulate.ts";

/**
 * Post-MI tissue model: the network's cell-level effects (cell death, angiogenesis, collagen, MMPs,
 * inflammation) drive tissue state over days to weeks — viable at-risk myocardium, capillary
 * density, replacement scar and interstitial fibrosis, LV remodelling — and the echo readouts
 * derived from them. Coupling is one-way (network → tissue), so the tissue ODE is integrated after
 * the network, reading the network's time course by interpolation.
 */

const Valued = z.object({
  value: z.number(),
  range: z.tuple([z.number(), z.number()]),
  evidence: z.unknown(),
});
const SpeciesParams = z.object({
  area_at_risk: Valued,
  ef_sham: Valued,
  fs_sham: Valued,
  lvedd_sham_mm: Valued,
  capillary_sham: Valued,
});
const Rates = z.object({
  k_ischemia: Valued,
  k_mptp: Valued,
  k_apoptosis: Valued,
  k_pyroptosis: Valued,
  k_ferroptosis: Valued,
  k_proliferation: Valued,
  tau_salvage: Valued,
  perfusion_salvage: Valued,
  hibernation: Valued,
  stunning: Valued,
  k_angiogenesis: Valued,
  k_rarefaction: Valued,
  k_vessel_regression: Valued,
  k_scar: Valued,
  interstitial_max: Valued,
  k_interstitial: Valued,
  k_interstitial_decay: Valued,
  tau_remodel: Valued,
  mmp_expansion: Valued,
  k_dilation: Valued,
  dilation_exponent: Valued,
  k_fs: Valued,
  k_ef: Valued,
});
const TissueFile = z.object({ species: z.record(z.string(), SpeciesParams), rates: Rates });
export type TissueFile = z.infer<typeof TissueFile>;

let cached: TissueFile | undefined;
export function loadTissueParams(): TissueFile {
  cached ??= TissueFile.parse(parse(readDataFile("tissue.yaml")));
  return cached;
}

/** Plain numbers of the tissue model, so cohorts and sensitivity analysis can vary them. */
export type TissueParams = { [K in keyof TissueFile["rates"]]: number } & {
  [K in keyof TissueFile["species"][string]]: number;
};

// The file's values per species, flattened once: cohorts ask for them twice per member.
const nominal = new Map<string, TissueParams>();

export function tissueParams(species: string, overrides: Partial<TissueParams> = {}): TissueParams {
  let base = nominal.get(species);
  if (!base) {
    const f = loadTissueParams();
    const sp = f.species[species];
    if (!sp) throw new Error(`no tissue parameters for species ${species}`);
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(f.rates)) out[k] = v.value;
    for (const [k, v] of Object.entries(sp)) out[k] = v.value;
    // a spread copy: `out`, grown key by key, is a slow dictionary-mode object that would make
    // every spread below several times slower
    base = { ...out } as TissueParams;
    nominal.set(species, base);
  }
  // a fresh object every call: callers scale and override its values
  return { ...base, ...overrides };
}

export const TISSUE_READOUTS = [
  "infarct_size",
  "lvef",
  "fractional_shortening",
  "lvedd",
  "capillary_density",
  "collagen_fraction",
] as const;
export type TissueReadout = (typeof TISSUE_READOUTS)[number];

export interface TissueCourse {
  times: Float64Array;
  /** per readout, aligned with times */
  series: Record<TissueReadout, Float64Array>;
  /** viable fraction of the area at risk */
  viable: Float64Array;
}

/** Network species the tissue model reads (its "drivers"), in the order of a driver vector. */
export const TISSUE_DRIVERS = [
  "ischemia",
  "MPTP",
  "apoptosis",
  "pyroptosis",
  "ferroptosis",
  "cm_proliferation",
  "inflammation",
  "angiogenesis",
  "DAMPS",
  "collagen",
  "fibrosis",
  "MMP",
] as const;
const DRIVERS = TISSUE_DRIVERS;
const ND = DRIVERS.length;
// driver slots in a driver vector (the order of DRIVERS)
const ISCH = 0;
const MPTP = 1;
const APO = 2;
const PYRO = 3;
const FERRO = 4;
const PROLIF = 5;
const INFL = 6;
const ANG = 7;
const DAMPS = 8;
const COLL = 9;
const FIB = 10;
const MMP = 11;

/**
 * The tissue model's state variables, in the order of a tissue state vector: jeopardized and viable
 * fractions of the area at risk, capillary density (per mm²), replacement scar and interstitial
 * fibrosis (% of LV) and the effective remodelling fraction.
 */
export const TISSUE_STATES = [
  "jeopardized",
  "viable",
  "capillary",
  "scar",
  "interstitial",
  "remodel",
] as const;
export const TISSUE_SIZE = TISSUE_STATES.length;
const SJ = 0;
const SV = 1;
const SCAP = 2;
const SSCAR = 3;
const SINTER = 4;
const SREM = 5;

/** Start of the tissue state: all the area at risk viable and jeopardized, sham capillaries, no scar. */
export function tissueInitialState(p: TissueParams): Float64Array {
  return Float64Array.of(1, 1, p.capillary_sham, 0, 0, 0);
}

/**
 * The tissue parameters packed for the derivative (read by slot, so the hot path does no property
 * lookups), plus the one number the tissue takes from the network's start: the angiogenesis level
 * at t0, above which angiogenesis drives sprouting.
 */
export type TissueConstants = Float64Array;
const C_AAR100 = 0;
const C_CAP_SHAM = 1;
const C_K_ISCH2 = 2;
const C_K_MPTP = 3;
const C_K_APO = 4;
const C_K_PYRO = 5;
const C_K_FERRO = 6;
const C_K_PROLIF = 7;
const C_TAU_SALVAGE = 8;
const C_PERF_SALVAGE = 9;
const C_K_ANG = 10;
const C_K_RARE = 11;
const C_K_REGRESS = 12;
const C_K_SCAR = 13;
const C_INTER_MAX = 14;
const C_K_INTER = 15;
const C_K_INTER_DECAY = 16;
const C_DIL_EXP1 = 17;
const C_MMP_EXP = 18;
const C_TAU_REMODEL = 19;
const C_ANG0 = 20;

/** Slot of each packed constant, for code generators that bake them in (src/tissue/export.ts). */
export const TISSUE_CONSTANT_SLOTS = {
  aar100: C_AAR100,
  capSham: C_CAP_SHAM,
  kIsch2: C_K_ISCH2,
  kMptp: C_K_MPTP,
  kApo: C_K_APO,
  kPyro: C_K_PYRO,
  kFerro: C_K_FERRO,
  kProlif: C_K_PROLIF,
  tauSalvage: C_TAU_SALVAGE,
  perfSalvage: C_PERF_SALVAGE,
  kAng: C_K_ANG,
  kRare: C_K_RARE,
  kRegress: C_K_REGRESS,
  kScar: C_K_SCAR,
  interMax: C_INTER_MAX,
  kInter: C_K_INTER,
  kInterDecay: C_K_INTER_DECAY,
  dilExp1: C_DIL_EXP1,
  mmpExp: C_MMP_EXP,
  tauRemodel: C_TAU_REMODEL,
  ang0: C_ANG0,
} as const;

export function tissueConstants(p: TissueParams, angiogenesisAtStart: number): TissueConstants {
  const c = new Float64Array(21);
  // products precomputed exactly as the integrator always has (`100 * aar * x` evaluates left to right)
  c[C_AAR100] = 100 * p.area_at_risk;
  c[C_CAP_SHAM] = p.capillary_sham;
  c[C_K_ISCH2] = p.k_ischemia * 2;
  c[C_K_MPTP] = p.k_mptp;
  c[C_K_APO] = p.k_apoptosis;
  c[C_K_PYRO] = p.k_pyroptosis;
  c[C_K_FERRO] = p.k_ferroptosis;
  c[C_K_PROLIF] = p.k_proliferation;
  c[C_TAU_SALVAGE] = p.tau_salvage;
  c[C_PERF_SALVAGE] = p.perfusion_salvage;
  c[C_K_ANG] = p.k_angiogenesis;
  c[C_K_RARE] = p.k_rarefaction;
  c[C_K_REGRESS] = p.k_vessel_regression;
  c[C_K_SCAR] = p.k_scar;
  c[C_INTER_MAX] = p.interstitial_max;
  c[C_K_INTER] = p.k_interstitial;
  c[C_K_INTER_DECAY] = p.k_interstitial_decay;
  c[C_DIL_EXP1] = p.dilation_exponent - 1;
  c[C_MMP_EXP] = p.mmp_expansion;
  c[C_TAU_REMODEL] = p.tau_remodel;
  c[C_ANG0] = angiogenesisAtStart;
  return c;
}

/**
 * xᵉ for x ≥ 0 as exp(e·ln x): V8's `**` with a non-integer exponent is a C call about twice as slow,
 * and the Euler loop takes two per sub-step (relative difference ~1e-16). 0ᵉ as `**` gives it.
 */
function powNonNeg(x: number, e: number): number {
  return x > 0 ? Math.exp(e * Math.log(x)) : 0 ** e;
}

/**
 * The tissue ODE's right-hand side: d(state)/dt at the tissue state y[yOff … yOff+5] under the driver
 * vector drv (TISSUE_DRIVERS order), written to dy[dyOff … dyOff+5]. Allocation-free. The one
 * definition of the tissue dynamics: simulateTissue's Euler sub-steps call it, and the coupled
 * network + tissue system (src/tissue/coupled.ts) uses it as part of an ODE right-hand side. Its
 * exports to C and Python (src/tissue/export.ts) transcribe it line by line.
 *
 * The bases of the two fractional powers are floored at 0: the Euler integrator clamps the states
 * so they are never negative there (the floor changes nothing), but an adaptive solver's trial
 * stage may overshoot V = 1 or cap = 0 by rounding, where a fractional power would give NaN.
 */
export function tissueDerivative(
  c: TissueConstants,
  drv: Float64Array,
  y: Float64Array,
  yOff: number,
  dy: Float64Array,
  dyOff: number,
): void {
  const J = y[yOff + SJ];
  const V = y[yOff + SV];
  const cap = y[yOff + SCAP];
  const scar = y[yOff + SSCAR];
  const inter = y[yOff + SINTER];
  const remodel = y[yOff + SREM];
  const capSham = c[C_CAP_SHAM];
  const isch = drv[ISCH];
  const death =
    // only severe ischemia kills outright (the hypoxic border zone survives): a threshold at 0.5
    c[C_K_ISCH2] * Math.max(0, isch - 0.5) +
    c[C_K_MPTP] * drv[MPTP] +
    c[C_K_APO] * drv[APO] +
    c[C_K_PYRO] * drv[PYRO] +
    c[C_K_FERRO] * drv[FERRO];
  // perfusion (capillary density relative to sham) speeds salvage of the jeopardized border zone
  const perf = Math.max(0, cap / capSham);
  dy[dyOff + SJ] = -J * death - (J / c[C_TAU_SALVAGE]) * powNonNeg(perf, c[C_PERF_SALVAGE]);
  dy[dyOff + SV] = -J * death + c[C_K_PROLIF] * drv[PROLIF] * V * (1 - V);
  const angDrive = Math.max(0, drv[ANG] - c[C_ANG0]);
  // sprouting angiogenesis: new capillaries sprout from existing ones, so growth scales with the
  // capillary density present (and a treatment's gain persists after its cargo has cleared);
  // capillaries in excess of the sham density are pruned at k_vessel_regression (the share of
  // new microvessels that never acquire pericytes, Ren et al. 2002, regresses)
  dy[dyOff + SCAP] =
    c[C_K_ANG] * angDrive * cap -
    c[C_K_RARE] * (drv[DAMPS] + isch) * cap -
    c[C_K_REGRESS] * (cap - capSham) * (cap > capSham ? 1 : 0);
  const IS = c[C_AAR100] * (1 - V);
  // dead myocardium is replaced by scar; active collagen synthesis speeds it up
  dy[dyOff + SSCAR] = c[C_K_SCAR] * (0.3 + drv[COLL]) * Math.max(0, IS - scar);
  dy[dyOff + SINTER] = c[C_K_INTER] * drv[FIB] * (c[C_INTER_MAX] - inter) - c[C_K_INTER_DECAY] * inter;
  // dilation grows faster than linearly with infarct size (large infarcts dilate
  // disproportionately); normalized at the calibration infarct (29% of LV, Burrell et al. 1996)
  const f = Math.max(0, IS / 100);
  const target = f * powNonNeg(f / 0.29, c[C_DIL_EXP1]) * (1 + c[C_MMP_EXP] * drv[MMP]);
  dy[dyOff + SREM] = (target - remodel) / c[C_TAU_REMODEL];
}

/**
 * The echo and histology readouts at one time from the tissue state there and the drivers then
 * (stunning needs the current inflammation and ischemia), written to out in TISSUE_READOUTS order.
 */
export function tissueReadoutsAt(
  p: TissueParams,
  drv: Float64Array,
  y: Float64Array,
  yOff: number,
  out: Float64Array,
): void {
  const aar = p.area_at_risk;
  const V = y[yOff + SV];
  const cap = y[yOff + SCAP];
  const IS = 100 * aar * (1 - V);
  const stun = p.stunning * drv[INFL] * aar * V * (drv[ISCH] > 0 || drv[DAMPS] > 0.05 ? 1 : 0);
  const dil = 1 + p.k_dilation * y[yOff + SREM];
  // hypoperfused viable myocardium contracts less (hibernation) until capillaries recover
  const hib = p.hibernation * aar * V * Math.max(0, 1 - cap / p.capillary_sham);
  const deficit = IS / 100 + stun + hib + 0.5 * (dil - 1);
  out[0] = IS;
  out[1] = Math.max(0, p.ef_sham * (1 - p.k_ef * deficit));
  out[2] = Math.max(0, p.fs_sham * (1 - p.k_fs * deficit));
  out[3] = p.lvedd_sham_mm * dil;
  out[4] = cap;
  out[5] = y[yOff + SSCAR] + y[yOff + SINTER];
}

/**
 * Column of each driver in a result's `y`, or -1 when the id is not a species id verbatim (then its
 * series is resolved by name). Cached per species-id list: every result of one compiled network
 * shares that array, so cohorts resolve the names once rather than twelve times per member.
 */
const driverColumns = new WeakMap<readonly string[], Int32Array>();
function columnsOf(ids: readonly string[]): Int32Array {
  let cols = driverColumns.get(ids);
  if (!cols) {
    cols = Int32Array.from(DRIVERS, (id) => ids.indexOf(id));
    driverColumns.set(ids, cols);
  }
  return cols;
}

/** The drivers on the first nt points of the network's time grid, time-major (row k = DRIVERS at times[k]). */
function gatherDrivers(net: SimulationResult, nt: number): Float64Array {
  const ns = net.speciesIds.length;
  const cols = columnsOf(net.speciesIds);
  const y = net.y;
  const D = new Float64Array(nt * ND);
  // row by row, so y is read in memory order
  for (let k = 0; k < nt; k++) {
    const row = k * ns;
    for (let i = 0; i < ND; i++) D[k * ND + i] = cols[i] >= 0 ? y[row + cols[i]] : 0;
  }
  for (let i = 0; i < ND; i++) {
    if (cols[i] >= 0) continue;
    // not an id verbatim: the result's own name resolution (aliases; throws for unknown nodes)
    const x = net.series(DRIVERS[i]);
    for (let k = 0; k < nt; k++) D[k * ND + i] = x[k];
  }
  return D;
}

/**
 * Integrate the tissue model over the network's time grid: explicit Euler sub-steps of at most 0.5 h
 * inside each output interval, with the drivers linearly interpolated at each sub-step's midpoint.
 * `until` ends the course early, for callers that read it only up to some time (evaluateMember).
 *
 * This runs twice per cohort member, so the loop is written flat: drivers are gathered once into a
 * table (no per-name series), parameters are read into locals, and nothing is allocated or closed
 * over per step (under tsx every inner function creation also pays a `__name` defineProperty). The
 * arithmetic is kept operation-for-operation as it was, so results are bit-for-bit unchanged.
 */
export function simulateTissue(
  net: SimulationResult,
  p: TissueParams,
  opts: { until?: number } = {},
): TissueCourse {
  // with `until`, stop at the first output time at or after it (the course ends there)
  let nt = net.times.length;
  if (opts.until !== undefined) {
    let k = 0;
    while (k < nt - 1 && net.times[k] < opts.until) k++;
    nt = k + 1;
  }
  const tt = nt === net.times.length ? net.times : net.times.subarray(0, nt);
  const D = gatherDrivers(net, nt);
  const c = tissueConstants(p, D[ANG]);
  const IS_ = new Float64Array(nt);
  const EF_ = new Float64Array(nt);
  const FS_ = new Float64Array(nt);
  const LVEDD_ = new Float64Array(nt);
  const CAP_ = new Float64Array(nt);
  const COLL_ = new Float64Array(nt);
  const viable = new Float64Array(nt);
  // per-call work vectors (a handful of small arrays per course, none per step)
  const drv = new Float64Array(ND);
  const ds = new Float64Array(TISSUE_SIZE);
  const ro = new Float64Array(TISSUE_READOUTS.length);

  // Viable at-risk myocardium is jeopardized (J) until it is salvaged (collateral flow, reperfusion,
  // scar walls it off) with time constant tau_salvage; only jeopardized myocardium dies.
  const s = tissueInitialState(p);

  for (let k = 0; k < nt; k++) {
    if (k > 0) {
      const dt = tt[k] - tt[k - 1];
      const steps = Math.max(1, Math.ceil(dt / 0.5));
      const h = dt / steps;
      // the interval's end rows of the driver table
      const r0 = (k - 1) * ND;
      const r1 = k * ND;
      for (let st = 0; st < steps; st++) {
        // drivers linearly interpolated at the midpoint of the sub-step (written out: as a loop over
        // the 12 drivers this costs about twice the whole course under V8)
        const a = (st + 0.5) / steps;
        const b = 1 - a;
        drv[0] = D[r0 + 0] * b + D[r1 + 0] * a;
        drv[1] = D[r0 + 1] * b + D[r1 + 1] * a;
        drv[2] = D[r0 + 2] * b + D[r1 + 2] * a;
        drv[3] = D[r0 + 3] * b + D[r1 + 3] * a;
        drv[4] = D[r0 + 4] * b + D[r1 + 4] * a;
        drv[5] = D[r0 + 5] * b + D[r1 + 5] * a;
        drv[6] = D[r0 + 6] * b + D[r1 + 6] * a;
        drv[7] = D[r0 + 7] * b + D[r1 + 7] * a;
        drv[8] = D[r0 + 8] * b + D[r1 + 8] * a;
        drv[9] = D[r0 + 9] * b + D[r1 + 9] * a;
        drv[10] = D[r0 + 10] * b + D[r1 + 10] * a;
        drv[11] = D[r0 + 11] * b + D[r1 + 11] * a;
        tissueDerivative(c, drv, s, 0, ds, 0);
        // explicit Euler can overshoot the states' natural bounds by h·rate: clamp them there
        s[SJ] = Math.max(0, s[SJ] + h * ds[SJ]);
        s[SV] = Math.min(1, Math.max(0, s[SV] + h * ds[SV]));
        s[SCAP] = Math.max(0, s[SCAP] + h * ds[SCAP]);
        s[SSCAR] = Math.max(0, s[SSCAR] + h * ds[SSCAR]);
        s[SINTER] = Math.max(0, s[SINTER] + h * ds[SINTER]);
        s[SREM] = Math.max(0, s[SREM] + h * ds[SREM]);
      }
    }
    // readouts at the output time, from the drivers there (no interpolation)
    for (let i = 0; i < ND; i++) drv[i] = D[k * ND + i];
    tissueReadoutsAt(p, drv, s, 0, ro);
    IS_[k] = ro[0];
    EF_[k] = ro[1];
    FS_[k] = ro[2];
    LVEDD_[k] = ro[3];
    CAP_[k] = ro[4];
    COLL_[k] = ro[5];
    viable[k] = s[SV];
  }
  const series: TissueCourse["series"] = {
    infarct_size: IS_,
    lvef: EF_,
    fractional_shortening: FS_,
    lvedd: LVEDD_,
    capillary_density: CAP_,
    collagen_fraction: COLL_,
  };
  return { times: tt, series, viable };
}
