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

export function tissueParams(species: string, overrides: Partial<TissueParams> = {}): TissueParams {
  const f = loadTissueParams();
  const sp = f.species[species];
  if (!sp) throw new Error(`no tissue parameters for species ${species}`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(f.rates)) out[k] = v.value;
  for (const [k, v] of Object.entries(sp)) out[k] = v.value;
  return { ...(out as TissueParams), ...overrides };
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

/** Integrate the tissue model over the network's time grid (fixed-step RK2 inside each interval). */
export function simulateTissue(net: SimulationResult, p: TissueParams): TissueCourse {
  const tt = net.times;
  const nt = tt.length;
  const d = DRIVERS.map((id) => net.series(id));
  const [isch, mptp, apo, pyro, ferro, prolif, infl, ang, damps, coll, fib, mmp] = d;
  const ang0 = ang[0];
  const series = Object.fromEntries(
    TISSUE_READOUTS.map((k) => [k, new Float64Array(nt)]),
  ) as TissueCourse["series"];
  const viable = new Float64Array(nt);

  // Viable at-risk myocardium is jeopardized (J) until it is salvaged (collateral flow, reperfusion,
  // scar walls it off) with time constant tau_salvage; only jeopardized myocardium dies.
  let J = 1;
  let V = 1; // viable fraction of area at risk (jeopardized + salvaged)
  let cap = p.capillary_sham;
  let scar = 0; // % LV
  let inter = 0; // % LV
  let remodel = 0; // effective remodelling fraction
  const aar = p.area_at_risk;

  const record = (k: number) => {
    const IS = 100 * aar * (1 - V);
    const stun = p.stunning * infl[k] * aar * V * (isch[k] > 0 || damps[k] > 0.05 ? 1 : 0);
    const dil = 1 + p.k_dilation * remodel;
    // hypoperfused viable myocardium contracts less (hibernation) until capillaries recover
    const hib = p.hibernation * aar * V * Math.max(0, 1 - cap / p.capillary_sham);
    const deficit = IS / 100 + stun + hib + 0.5 * (dil - 1);
    series.infarct_size[k] = IS;
    series.capillary_density[k] = cap;
    series.collagen_fraction[k] = scar + inter;
    series.lvedd[k] = p.lvedd_sham_mm * dil;
    series.fractional_shortening[k] = Math.max(0, p.fs_sham * (1 - p.k_fs * deficit));
    series.lvef[k] = Math.max(0, p.ef_sham * (1 - p.k_ef * deficit));
    viable[k] = V;
  };
  record(0);
  for (let k = 1; k < nt; k++) {
    const dt = tt[k] - tt[k - 1];
    const steps = Math.max(1, Math.ceil(dt / 0.5));
    const h = dt / steps;
    for (let s = 0; s < steps; s++) {
      // drivers linearly interpolated at the midpoint of the sub-step
      const a = (s + 0.5) / steps;
      const at = (x: Float64Array) => x[k - 1] * (1 - a) + x[k] * a;
      const death =
        // only severe ischemia kills outright (the hypoxic border zone survives): a threshold at 0.5
        p.k_ischemia * 2 * Math.max(0, at(isch) - 0.5) +
        p.k_mptp * at(mptp) +
        p.k_apoptosis * at(apo) +
        p.k_pyroptosis * at(pyro) +
        p.k_ferroptosis * at(ferro);
      // perfusion (capillary density relative to sham) speeds salvage of the jeopardized border zone
      const perf = cap / p.capillary_sham;
      const dJ = -J * death - (J / p.tau_salvage) * perf ** p.perfusion_salvage;
      const dV = -J * death + p.k_proliferation * at(prolif) * V * (1 - V);
      const angDrive = Math.max(0, at(ang) - ang0);
      // sprouting angiogenesis: new capillaries sprout from existing ones, so growth scales with the
      // capillary density present (and a treatment's gain persists after its cargo has cleared)
      const dCap =
        p.k_angiogenesis * angDrive * cap -
        p.k_rarefaction * (at(damps) + at(isch)) * cap -
        0.002 * (cap - p.capillary_sham) * (cap > p.capillary_sham ? 1 : 0);
      const IS = 100 * aar * (1 - V);
      // dead myocardium is replaced by scar; active collagen synthesis speeds it up
      const dScar = p.k_scar * (0.3 + at(coll)) * Math.max(0, IS - scar);
      const dInter =
        p.k_interstitial * at(fib) * (p.interstitial_max - inter) - p.k_interstitial_decay * inter;
      // dilation grows faster than linearly with infarct size (large infarcts dilate disproportionately);
      // normalized at the calibration infarct (29% of LV, Burrell et al. 1996)
      const f = IS / 100;
      const target = f * (f / 0.29) ** (p.dilation_exponent - 1) * (1 + p.mmp_expansion * at(mmp));
      const dRem = (target - remodel) / p.tau_remodel;
      J = Math.max(0, J + h * dJ);
      V = Math.min(1, Math.max(0, V + h * dV));
      cap = Math.max(0, cap + h * dCap);
      scar = Math.max(0, scar + h * dScar);
      inter = Math.max(0, inter + h * dInter);
      remodel = Math.max(0, remodel + h * dRem);
    }
    record(k);
  }
  return { times: tt, series, viable };
}
