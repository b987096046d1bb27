import { parse } from "yaml";
import { z } from "zod";
import { readDataFile } from "../data/files.ts";

/**
 * Post-MI tissue model: the network's cell-level effects (cell death, angiogenesis, collagen, MMPs,
 * inflammation) drive tissue state over days to weeks — viable at-risk myocardium, capillary
 * density, replacement scar and interstitial fibrosis, LV remodelling — and the echo readouts
 * derived from them (one LV geometry: LVEDD and LVESD, FS from them, LVEF by Teichholz).
 *
 * The tissue states are integrated with the network as one ODE (src/tissue/coupled.ts), and the
 * tissue feeds back: border-zone ischemia persists where capillaries were lost (the ischemia input
 * rises with the capillary deficit), so what a treatment changed in the tissue keeps acting on the
 * cells after its cargo has cleared.
 */

const Valued = z.object({
  value: z.number(),
  range: z.tuple([z.number(), z.number()]),
  evidence: z.unknown(),
});
const SpeciesParams = z.object({
  area_at_risk: Valued,
  ef_sham: Valued,
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
  capillary_max_ratio: Valued,
  perfusion_ischemia: Valued,
  wall_stress_gain: Valued,
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
  "lvesd",
  "area_at_risk",
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
 * The tissue parameters packed for the derivative and the readouts (read by slot, so the hot path
 * does no property lookups), plus the one number the tissue takes from the network's start: the
 * angiogenesis level at t0, above which angiogenesis drives sprouting.
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
const C_INV_CAP_MAX = 21;
// readout constants
const C_AAR = 22;
const C_STUN = 23;
const C_K_DIL = 24;
const C_HIB = 25;
const C_FS_SHAM = 26;
const C_K_FS = 27;
const C_EDD_SHAM = 28;
const N_CONSTANTS = 29;

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
  invCapMax: C_INV_CAP_MAX,
} as const;

/**
 * LV volume (mL) from an M-mode diameter (cm) by Teichholz: V = 7·D³ / (2.4 + D). EF from the
 * end-diastolic and end-systolic diameters of one ventricle is always above FS for ESD < EDD:
 * ESV/EDV = r³·(2.4 + D)/(2.4 + r·D) with r = 1 − FS, and r²(2.4 + D) < 2.4 + r·D for r < 1.
 */
export function teichholzVolume(dCm: number): number {
  return (7 * dCm * dCm * dCm) / (2.4 + dCm);
}

/** LVEF (%) by Teichholz from the end-diastolic diameter (mm) and fractional shortening (%). */
export function teichholzEF(eddMm: number, fsPercent: number): number {
  const edd = eddMm / 10;
  const esd = edd * (1 - fsPercent / 100);
  return 100 * (1 - teichholzVolume(esd) / teichholzVolume(edd));
}

/**
 * The sham FS (%) that gives the sham LVEF at the sham LVEDD by Teichholz (bisection: EF rises
 * monotonically with FS at a fixed EDD). The species' sham LVEF is the input (cohorts vary it), FS
 * follows from the same geometry, so the two are never calibrated apart.
 */
export function shamFractionalShortening(efSham: number, eddShamMm: number): number {
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (teichholzEF(eddShamMm, mid) < efSham) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export function tissueConstants(p: TissueParams, angiogenesisAtStart: number): TissueConstants {
  const c = new Float64Array(N_CONSTANTS);
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
  c[C_INV_CAP_MAX] = 1 / (p.capillary_max_ratio * p.capillary_sham);
  c[C_AAR] = p.area_at_risk;
  c[C_STUN] = p.stunning;
  c[C_K_DIL] = p.k_dilation;
  c[C_HIB] = p.hibernation;
  c[C_FS_SHAM] = shamFractionalShortening(p.ef_sham, p.lvedd_sham_mm);
  c[C_K_FS] = p.k_fs;
  c[C_EDD_SHAM] = p.lvedd_sham_mm;
  return c;
}

/**
 * xᵉ for x ≥ 0 as exp(e·ln x): V8's `**` with a non-integer exponent is a C call about twice as slow
 * (relative difference ~1e-16). 0ᵉ as `**` gives it.
 */
function powNonNeg(x: number, e: number): number {
  return x > 0 ? Math.exp(e * Math.log(x)) : 0 ** e;
}

/**
 * The capillary deficit that feeds back on the network's ischemia input: the fraction of sham
 * capillary density missing, in [0, 1] (0 at or above sham density).
 */
export function capillaryDeficit(capillary: number, capillarySham: number): number {
  const d = 1 - capillary / capillarySham;
  return d < 0 ? 0 : Math.min(d, 1);
}

/**
 * The tissue ODE's right-hand side: d(state)/dt at the tissue state y[yOff … yOff+5] under the driver
 * vector drv (TISSUE_DRIVERS order), written to dy[dyOff … dyOff+5]. Allocation-free. The one
 * definition of the tissue dynamics: the coupled network + tissue system (src/tissue/coupled.ts)
 * calls it in its right-hand side; its exports to C and Python (src/tissue/export.ts) transcribe it
 * line by line.
 *
 * Bounded by construction: J and V stay in [0, 1] (losses ∝ J; growth ∝ V(1 − V)); capillaries
 * grow logistically toward the carrying capacity capillary_max_ratio × sham and never past it; scar
 * grows toward the infarct size; interstitial collagen toward interstitial_max. The bases of the
 * fractional powers are floored at 0, as an adaptive solver's trial stage may overshoot by rounding.
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
  // perfusion (capillary density relative to sham) speeds salvage of the jeopardized border zone.
  // (Gating salvage by the ischemia driver as well was tried: it made permanent-ligation infarcts
  // 96% of the area at risk; the I/R-vs-permanent difference comes from the network's drivers and
  // the reperfusion load's dependence on ischemia time, data/injury.yaml.)
  const perf = Math.max(0, cap / capSham);
  dy[dyOff + SJ] = -J * death - (J / c[C_TAU_SALVAGE]) * powNonNeg(perf, c[C_PERF_SALVAGE]);
  dy[dyOff + SV] = -J * death + c[C_K_PROLIF] * drv[PROLIF] * V * (1 - V);
  const angDrive = Math.max(0, drv[ANG] - c[C_ANG0]);
  // sprouting angiogenesis: new capillaries sprout from existing ones (growth ∝ capillaries present,
  // so a treatment's gain persists after its cargo has cleared), limited by a carrying capacity
  // (logistic); capillaries in excess of the sham density are pruned at k_vessel_regression (the
  // share of new microvessels that never acquire pericytes, Ren et al. 2002, regresses)
  dy[dyOff + SCAP] =
    c[C_K_ANG] * angDrive * cap * Math.max(0, 1 - cap * c[C_INV_CAP_MAX]) -
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
 *
 * One LV geometry: LVEDD = sham EDD × dilation; the contractile deficit (infarct, stunned and
 * hibernating myocardium, dilation) lowers FS; LVESD = LVEDD × (1 − FS); LVEF from the two
 * diameters by Teichholz. So FS < LVEF and LVESD < LVEDD always, and LVEF ≤ the sham LVEF.
 */
export function tissueReadoutsAt(
  c: TissueConstants,
  drv: Float64Array,
  y: Float64Array,
  yOff: number,
  out: Float64Array,
): void {
  const aar = c[C_AAR];
  const V = Math.min(1, Math.max(0, y[yOff + SV]));
  const cap = Math.max(0, y[yOff + SCAP]);
  const IS = 100 * aar * (1 - V);
  const stun = c[C_STUN] * drv[INFL] * aar * V * (drv[ISCH] > 0 || drv[DAMPS] > 0.05 ? 1 : 0);
  const dil = 1 + c[C_K_DIL] * Math.max(0, y[yOff + SREM]);
  // hypoperfused viable myocardium contracts less (hibernation) until capillaries recover
  const hib = c[C_HIB] * aar * V * capillaryDeficit(cap, c[C_CAP_SHAM]);
  const deficit = IS / 100 + stun + hib + 0.5 * (dil - 1);
  const fsSham = c[C_FS_SHAM];
  // a failing ventricle still shortens a little: FS floored at a tenth of sham
  const fs = Math.max(0.1 * fsSham, fsSham * (1 - c[C_K_FS] * deficit));
  const edd = c[C_EDD_SHAM] * dil;
  out[0] = IS;
  out[1] = teichholzEF(edd, fs);
  out[2] = fs;
  out[3] = edd;
  out[4] = cap;
  out[5] = Math.max(0, y[yOff + SSCAR]) + Math.max(0, y[yOff + SINTER]);
  out[6] = edd * (1 - fs / 100);
  out[7] = 100 * aar;
}

/** The readouts of a solution of the coupled system, one row per output time. */
export function tissueCourseFromRows(
  times: Float64Array,
  c: TissueConstants,
  drivers: Float64Array,
  states: Float64Array,
): TissueCourse {
  const nt = times.length;
  const cols = TISSUE_READOUTS.map(() => new Float64Array(nt));
  const viable = new Float64Array(nt);
  const drv = new Float64Array(ND);
  const ro = new Float64Array(TISSUE_READOUTS.length);
  for (let k = 0; k < nt; k++) {
    for (let i = 0; i < ND; i++) drv[i] = drivers[k * ND + i];
    tissueReadoutsAt(c, drv, states, k * TISSUE_SIZE, ro);
    for (let r = 0; r < ro.length; r++) cols[r][k] = ro[r];
    viable[k] = states[k * TISSUE_SIZE + SV];
  }
  const series = Object.fromEntries(TISSUE_READOUTS.map((id, r) => [id, cols[r]])) as TissueCourse["series"];
  return { times, series, viable };
}
