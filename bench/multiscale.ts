import { TISSUE_STATE_LABELS } from "../src/tissue/export.ts";
import { TISSUE_READOUTS, TISSUE_SIZE, type TissueParams } from "../src/tissue/model.ts";
import type { PeerScenario } from "./peer-scenario.ts";
import { maxRelDiff, multiscaleProblem, type PeerRun, runCvode, runExomi, runScipy } from "./peers.ts";

/**
 * The multiscale peer rows of `npm run bench`: the full model (network + tissue) as one coupled ODE
 * (src/tissue/coupled.ts) on the peer scenario, solved by ExoMI (dopri5; Rosenbrock for reference,
 * with a finite-difference Jacobian since the coupled system has no analytic one), CVODE and SciPy
 * on the exports of src/tissue/export.ts. Agreement is checked on every state (network species and
 * tissue states) and on the tissue readouts, which are computed from each solver's states by the
 * same TypeScript function (they are algebraic in the states and drivers, not integrated).
 */
export interface MultiscaleBench {
  description: string;
  exomi: PeerRun;
  exomiStiff: PeerRun;
  cvode: PeerRun;
  scipy: PeerRun;
  /** over all states and readouts, against CVODE and SciPy */
  diffCvode: { value: number; where: string };
  diffScipy: { value: number; where: string };
  /** tissue states and readouts only, against both peers */
  diffTissue: number;
  /** ExoMI's (dopri5) tissue readouts at the last output time */
  readoutsEnd: Record<string, number>;
}

export function runMultiscale(
  sc: PeerScenario,
  p: TissueParams,
  species: string,
  quick: boolean,
  progress: (s: string) => void = () => {},
): MultiscaleBench {
  const pr = multiscaleProblem(sc, p);
  const sys = pr.coupled;
  progress("full model: ExoMI (dopri5, rosenbrock)");
  const exomi = runExomi(pr, "dopri5", quick ? 5 : 15);
  const exomiStiff = runExomi(pr, "rosenbrock", quick ? 1 : 3);
  progress("full model: CVODE (build + run)");
  const cvode = runCvode(pr, "bdf", quick ? 5 : 15);
  progress("full model: SciPy");
  const scipy = runScipy(pr, "RK45", quick ? 1 : 7);

  const n = sys.tissueOffset;
  // tissue columns: the 6 tissue states, then the 6 readouts at each output time
  const tissueRows = (r: PeerRun) => {
    const flat = Float64Array.from(r.y.flat());
    const ro = new Float64Array(TISSUE_READOUTS.length);
    return {
      y: r.y.map((row, k) => {
        sys.readouts(flat, k, ro);
        return [...row.slice(n), ...ro];
      }),
    };
  };
  const labels = [...sys.net.speciesIds, ...TISSUE_STATE_LABELS];
  const tissueLabels = [...TISSUE_STATE_LABELS, ...TISSUE_READOUTS.map((id) => `readout:${id}`)];
  const both = (peer: PeerRun) => {
    const all = maxRelDiff(exomi, peer);
    const tis = maxRelDiff(tissueRows(exomi), tissueRows(peer));
    const worst =
      tis.value > all.value
        ? { ...tis, label: tissueLabels[tis.species] }
        : { ...all, label: labels[all.species] };
    return {
      value: worst.value,
      where: `${worst.label} at t = ${sc.times[worst.time]} h`,
      tissue: tis.value,
    };
  };
  const dc = both(cvode);
  const ds = both(scipy);
  const last = tissueRows(exomi).y[sc.times.length - 1];
  return {
    description: `${sc.description}; coupled with the rat post-MI tissue model (${species}, ${TISSUE_SIZE} states, drivers read from the state), tissue from its post-ligation start`,
    exomi,
    exomiStiff,
    cvode,
    scipy,
    diffCvode: { value: dc.value, where: dc.where },
    diffScipy: { value: ds.value, where: ds.where },
    diffTissue: Math.max(dc.tissue, ds.tissue),
    readoutsEnd: Object.fromEntries(TISSUE_READOUTS.map((id, i) => [id, last[6 + i]])),
  };
}
