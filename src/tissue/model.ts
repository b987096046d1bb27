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

const DRIVERS = [
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
const ND = DRIVERS.length;
// driver slots in a row of the gathered driver table (the order of DRIVERS)
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
  const ang0 = D[ANG];
  const IS_ = new Float64Array(nt);
  const EF_ = new Float64Array(nt);
  const FS_ = new Float64Array(nt);
  const LVEDD_ = new Float64Array(nt);
  const CAP_ = new Float64Array(nt);
  const COLL_ = new Float64Array(nt);
  const viable = new Float64Array(nt);

  const aar = p.area_at_risk;
  const aar100 = 100 * aar; // as `100 * aar * x` evaluates left to right
  const capSham = p.capillary_sham;
  const kIsch2 = p.k_ischemia * 2;
  const kMptp = p.k_mptp;
  const kApo = p.k_apoptosis;
  const kPyro = p.k_pyroptosis;
  const kFerro = p.k_ferroptosis;
  const kProlif = p.k_proliferation;
  const tauSalvage = p.tau_salvage;
  const perfSalvage = p.perfusion_salvage;
  const kAng = p.k_angiogenesis;
  const kRare = p.k_rarefaction;
  const kRegress = p.k_vessel_regression;
  const kScar = p.k_scar;
  const interMax = p.interstitial_max;
  const kInter = p.k_interstitial;
  const kInterDecay = p.k_interstitial_decay;
  const dilExp1 = p.dilation_exponent - 1;
  const mmpExp = p.mmp_expansion;
  const tauRemodel = p.tau_remodel;
  const stunning = p.stunning;
  const kDil = p.k_dilation;
  const hibernation = p.hibernation;
  const lveddSham = p.lvedd_sham_mm;
  const fsSham = p.fs_sham;
  const kFs = p.k_fs;
  const efSham = p.ef_sham;
  const kEf = p.k_ef;

  // Viable at-risk myocardium is jeopardized (J) until it is salvaged (collateral flow, reperfusion,
  // scar walls it off) with time constant tau_salvage; only jeopardized myocardium dies.
  let J = 1;
  let V = 1; // viable fraction of area at risk (jeopardized + salvaged)
  let cap = capSham;
  let scar = 0; // % LV
  let inter = 0; // % LV
  let remodel = 0; // effective remodelling fraction

  for (let k = 0; k < nt; k++) {
    if (k > 0) {
      const dt = tt[k] - tt[k - 1];
      const steps = Math.max(1, Math.ceil(dt / 0.5));
      const h = dt / steps;
      // the interval's end rows of the driver table
      const r0 = (k - 1) * ND;
      const r1 = k * ND;
      const isch0 = D[r0 + ISCH];
      const isch1 = D[r1 + ISCH];
      const mptp0 = D[r0 + MPTP];
      const mptp1 = D[r1 + MPTP];
      const apo0 = D[r0 + APO];
      const apo1 = D[r1 + APO];
      const pyro0 = D[r0 + PYRO];
      const pyro1 = D[r1 + PYRO];
      const ferro0 = D[r0 + FERRO];
      const ferro1 = D[r1 + FERRO];
      const prolif0 = D[r0 + PROLIF];
      const prolif1 = D[r1 + PROLIF];
      const ang0k = D[r0 + ANG];
      const ang1k = D[r1 + ANG];
      const damps0 = D[r0 + DAMPS];
      const damps1 = D[r1 + DAMPS];
      const coll0 = D[r0 + COLL];
      const coll1 = D[r1 + COLL];
      const fib0 = D[r0 + FIB];
      const fib1 = D[r1 + FIB];
      const mmp0 = D[r0 + MMP];
      const mmp1 = D[r1 + MMP];
      for (let s = 0; s < steps; s++) {
        // drivers linearly interpolated at the midpoint of the sub-step
        const a = (s + 0.5) / steps;
        const b = 1 - a;
        const isch = isch0 * b + isch1 * a;
        const death =
          // only severe ischemia kills outright (the hypoxic border zone survives): a threshold at 0.5
          kIsch2 * Math.max(0, isch - 0.5) +
          kMptp * (mptp0 * b + mptp1 * a) +
          kApo * (apo0 * b + apo1 * a) +
          kPyro * (pyro0 * b + pyro1 * a) +
          kFerro * (ferro0 * b + ferro1 * a);
        // perfusion (capillary density relative to sham) speeds salvage of the jeopardized border zone
        const perf = cap / capSham;
        const dJ = -J * death - (J / tauSalvage) * perf ** perfSalvage;
        const dV = -J * death + kProlif * (prolif0 * b + prolif1 * a) * V * (1 - V);
        const angDrive = Math.max(0, ang0k * b + ang1k * a - ang0);
        // sprouting angiogenesis: new capillaries sprout from existing ones, so growth scales with the
        // capillary density present (and a treatment's gain persists after its cargo has cleared);
        // capillaries in excess of the sham density are pruned at k_vessel_regression (the share of
        // new microvessels that never acquire pericytes, Ren et al. 2002, regresses)
        const dCap =
          kAng * angDrive * cap -
          kRare * (damps0 * b + damps1 * a + isch) * cap -
          kRegress * (cap - capSham) * (cap > capSham ? 1 : 0);
        const IS = aar100 * (1 - V);
        // dead myocardium is replaced by scar; active collagen synthesis speeds it up
        const dScar = kScar * (0.3 + (coll0 * b + coll1 * a)) * Math.max(0, IS - scar);
        const dInter = kInter * (fib0 * b + fib1 * a) * (interMax - inter) - kInterDecay * inter;
        // dilation grows faster than linearly with infarct size (large infarcts dilate
        // disproportionately); normalized at the calibration infarct (29% of LV, Burrell et al. 1996)
        const f = IS / 100;
        const target = f * (f / 0.29) ** dilExp1 * (1 + mmpExp * (mmp0 * b + mmp1 * a));
        const dRem = (target - remodel) / tauRemodel;
        J = Math.max(0, J + h * dJ);
        V = Math.min(1, Math.max(0, V + h * dV));
        cap = Math.max(0, cap + h * dCap);
        scar = Math.max(0, scar + h * dScar);
        inter = Math.max(0, inter + h * dInter);
        remodel = Math.max(0, remodel + h * dRem);
      }
    }
    // readouts at the output time
    const r = k * ND;
    const IS = aar100 * (1 - V);
    const stun = stunning * D[r + INFL] * aar * V * (D[r + ISCH] > 0 || D[r + DAMPS] > 0.05 ? 1 : 0);
    const dil = 1 + kDil * remodel;
    // hypoperfused viable myocardium contracts less (hibernation) until capillaries recover
    const hib = hibernation * aar * V * Math.max(0, 1 - cap / capSham);
    const deficit = IS / 100 + stun + hib + 0.5 * (dil - 1);
    IS_[k] = IS;
    CAP_[k] = cap;
    COLL_[k] = scar + inter;
    LVEDD_[k] = lveddSham * dil;
    FS_[k] = Math.max(0, fsSham * (1 - kFs * deficit));
    EF_[k] = Math.max(0, efSham * (1 - kEf * deficit));
    viable[k] = V;
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
