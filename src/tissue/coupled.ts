import type { CompiledNetwork } from "../network/compile.ts";
import type { OdeSystem, SparseJacobian, SparsePattern } from "../solver/types.ts";
import {
  capillaryDeficit,
  TISSUE_DRIVERS,
  TISSUE_READOUTS,
  TISSUE_SIZE,
  type TissueConstants,
  type TissueParams,
  tissueConstants,
  tissueDerivative,
  tissueInitialState,
  tissueReadoutsAt,
} from "./model.ts";

/**
 * The full model (network + tissue) as one ODE system: state = [network species…, tissue states…]
 * (TISSUE_STATES order after the network's species), rhs = the compiled network's rhs followed by
 * tissueDerivative with the drivers read from the state itself. Every scenario is solved in this
 * form (src/scenario/simulate.ts), so tissue readouts come from the adaptive solver at one tolerance
 * and never depend on the output times asked for; the peer benchmark exports the same system.
 *
 * Two-way coupling: with `onTissueFeedback`, each rhs evaluation first reports the tissue's
 * capillary deficit (supply) and LV stretch (dilation raises wall stress, Laplace's law), which the
 * scenario's forcing turns into the network's `ischemia` (chronic, on top of the injury profile,
 * data/injury.yaml) and `wall_stress` inputs. So the network at day 28 sees the tissue the treatment
 * left.
 *
 * The Jacobian is sparse: the network's analytic block, the tissue rows by forward differences of
 * tissueDerivative over its 18 inputs (12 drivers + 6 tissue states; cheap, no network rhs), and the
 * two feedback entries ∂f_ischemia/∂capillary and ∂f_wall_stress/∂remodel by differences of the rhs.
 */
export interface CoupledSystem extends OdeSystem {
  readonly net: CompiledNetwork;
  readonly params: TissueParams;
  /** index of the first tissue state (= the network's size) */
  readonly tissueOffset: number;
  /** state index of each TISSUE_DRIVERS species */
  readonly driverIndex: Int32Array;
  /** packed tissue parameters and the start angiogenesis level, as tissueDerivative reads them */
  readonly constants: TissueConstants;
  /** network start state followed by the tissue's start state */
  readonly y0: Float64Array;
  readonly jacobian: SparseJacobian;
  /** the TISSUE_READOUTS at one row of a solution (y, row-major, row k), written into out */
  readouts(y: Float64Array, k: number, out: Float64Array): void;
}

export interface CoupledOptions {
  /**
   * called with the capillary deficit (0…1) and the LV stretch (LVEDD/sham − 1, ≥ 0) before every
   * network rhs evaluation; the forcing reads them (tissue → network feedback). Absent: one-way.
   */
  onTissueFeedback?: (capillaryDeficit: number, stretch: number) => void;
}

const SCAP = 2;
const SREM = 5;

/**
 * The coupled system started at the network state netY0. The tissue's angiogenesis baseline is the
 * network's angiogenesis at that start. `net` is used live (its parameters and forcing as they are
 * when rhs runs).
 */
export function coupledSystem(
  net: CompiledNetwork,
  p: TissueParams,
  netY0: ArrayLike<number>,
  opts: CoupledOptions = {},
): CoupledSystem {
  const n = net.size;
  if (netY0.length !== n) throw new RangeError(`netY0 has ${netY0.length} values, the network ${n}`);
  const driverIndex = Int32Array.from(TISSUE_DRIVERS, (id) => {
    const i = net.index.get(id);
    if (i === undefined) throw new Error(`the network has no species ${id}, which the tissue model reads`);
    return i;
  });
  const clamp = net.clamp;
  // a clamped driver is read at its clamp value, as the network's own reactions read it
  const readDriver = (y: ArrayLike<number>, i: number) => {
    const c = clamp[i];
    return Number.isNaN(c) ? y[i] : c;
  };
  const constants = tissueConstants(
    p,
    readDriver(netY0, driverIndex[TISSUE_DRIVERS.indexOf("angiogenesis")]),
  );
  const capSham = p.capillary_sham;
  const N = n + TISSUE_SIZE;
  const y0 = new Float64Array(N);
  y0.set(netY0);
  y0.set(tissueInitialState(p), n);
  // the network's rhs as a local: called as `net.rhs(…)` from here, V8 optimized the coupled rhs
  // worse (10.3 vs 6.6 ms per peer simulation when the coupled system ran first); its parameters and
  // forcing are still read live, the function itself never changes
  const netRhs = net.rhs;
  const report = opts.onTissueFeedback;
  const kDil = p.k_dilation;
  // one driver vector reused by every evaluation (rhs must not allocate)
  const drv = new Float64Array(TISSUE_DRIVERS.length);
  const gather = (y: Float64Array, off: number) => {
    for (let d = 0; d < drv.length; d++) {
      const i = driverIndex[d];
      const c = clamp[i];
      drv[d] = Number.isNaN(c) ? y[off + i] : c;
    }
  };
  const rhs = (t: number, y: Float64Array, dy: Float64Array) => {
    if (report !== undefined) report(capillaryDeficit(y[n + SCAP], capSham), Math.max(0, kDil * y[n + SREM]));
    // the network's rhs reads and writes only its first n entries
    netRhs(t, y, dy);
    gather(y, 0);
    tissueDerivative(constants, drv, y, n, dy, n);
  };
  const jacobian = coupledJacobian(net, constants, driverIndex, gather, drv, rhs, report !== undefined);
  return {
    size: N,
    net,
    params: p,
    tissueOffset: n,
    driverIndex,
    constants,
    y0,
    jacobian,
    rhs,
    readouts(y, k, out) {
      const off = k * N;
      gather(y, off);
      tissueReadoutsAt(constants, drv, y, off + n, out);
    },
  };
}

/** The pattern of the coupled Jacobian, cached per compiled network (its symbolic LU is then reused). */
interface CoupledPattern {
  /** one object per network and coupling, so the solver's symbolic LU (keyed by it) is reused */
  pattern: SparsePattern;
  /** position in the coupled values of each network Jacobian entry */
  netPos: Int32Array;
  /** positions of ∂f_ischemia/∂capillary and ∂f_wall_stress/∂remodel, or -1 */
  feedbackPos: number;
  stretchPos: number;
  /** position of ∂f_(n+r)/∂(input j) for tissue row r and tissue input j (18 inputs), row-major */
  tissuePos: Int32Array;
}
const patterns = new WeakMap<CompiledNetwork, Map<string, CoupledPattern>>();

function coupledPattern(net: CompiledNetwork, driverIndex: Int32Array, feedback: boolean): CoupledPattern {
  let byKey = patterns.get(net);
  if (!byKey) {
    byKey = new Map();
    patterns.set(net, byKey);
  }
  const key = `${feedback}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const n = net.size;
  const N = n + TISSUE_SIZE;
  const np = net.jacobian.pattern;
  const isch = net.index.get("ischemia");
  const wall = net.index.get("wall_stress");
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const cols = Array.from(np.colIdx.subarray(np.rowPtr[i], np.rowPtr[i + 1]));
    if (feedback && i === isch) cols.push(n + SCAP);
    if (feedback && i === wall) cols.push(n + SREM);
    rows.push(cols);
  }
  // tissue inputs: the drivers' state indices, then the tissue states
  const inputs = [...driverIndex, ...Array.from({ length: TISSUE_SIZE }, (_, k) => n + k)];
  const tissueCols = [...new Set(inputs)].sort((a, b) => a - b);
  for (let r = 0; r < TISSUE_SIZE; r++) rows.push(tissueCols);
  const rowPtr = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) rowPtr[i + 1] = rowPtr[i] + rows[i].length;
  const colIdx = Int32Array.from(rows.flat());
  const find = (i: number, j: number) => {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) if (colIdx[e] === j) return e;
    throw new Error(`coupled Jacobian: (${i}, ${j}) not in the pattern`);
  };
  const netPos = new Int32Array(np.colIdx.length);
  for (let i = 0; i < n; i++)
    for (let e = np.rowPtr[i]; e < np.rowPtr[i + 1]; e++) netPos[e] = find(i, np.colIdx[e]);
  const feedbackPos = feedback && isch !== undefined ? find(isch, n + SCAP) : -1;
  const stretchPos = feedback && wall !== undefined ? find(wall, n + SREM) : -1;
  const tissuePos = new Int32Array(TISSUE_SIZE * inputs.length);
  for (let r = 0; r < TISSUE_SIZE; r++)
    for (let j = 0; j < inputs.length; j++) tissuePos[r * inputs.length + j] = find(n + r, inputs[j]);
  const out = { pattern: { n: N, rowPtr, colIdx }, netPos, feedbackPos, stretchPos, tissuePos };
  byKey.set(key, out);
  return out;
}

function coupledJacobian(
  net: CompiledNetwork,
  constants: TissueConstants,
  driverIndex: Int32Array,
  gather: (y: Float64Array, off: number) => void,
  drv: Float64Array,
  rhs: (t: number, y: Float64Array, dy: Float64Array) => void,
  feedback: boolean,
): SparseJacobian {
  const n = net.size;
  const N = n + TISSUE_SIZE;
  const pat = coupledPattern(net, driverIndex, feedback);
  const nd = driverIndex.length;
  const nIn = nd + TISSUE_SIZE;
  const netJac = net.jacobian;
  const netValues = new Float64Array(netJac.pattern.colIdx.length);
  const ts = new Float64Array(TISSUE_SIZE);
  const f0 = new Float64Array(TISSUE_SIZE);
  const f1 = new Float64Array(TISSUE_SIZE);
  const dyA = new Float64Array(N);
  const dyB = new Float64Array(N);
  const isch = net.index.get("ischemia") ?? -1;
  const wall = net.index.get("wall_stress") ?? -1;
  const clamp = net.clamp;
  return {
    pattern: pat.pattern,
    evaluate(t, y, values, dfdt) {
      values.fill(0);
      // network block (the solver asks at the point where it just evaluated the rhs, so the
      // network's forcing saw this state's capillary deficit)
      const dtDone = netJac.evaluate(t, y, netValues, dfdt) === true;
      for (let e = 0; e < netValues.length; e++) values[pat.netPos[e]] = netValues[e];
      if (dfdt) for (let i = n; i < N; i++) dfdt[i] = 0;
      // tissue rows: forward differences over the drivers and the tissue states
      gather(y, 0);
      for (let k = 0; k < TISSUE_SIZE; k++) ts[k] = y[n + k];
      tissueDerivative(constants, drv, ts, 0, f0, 0);
      for (let j = 0; j < nIn; j++) {
        const isDriver = j < nd;
        if (isDriver && !Number.isNaN(clamp[driverIndex[j]])) continue; // a clamped driver is constant
        const saved = isDriver ? drv[j] : ts[j - nd];
        const h = 1.4901161193847656e-8 * Math.max(Math.abs(saved), isDriver ? 1e-3 : 1e-2);
        if (isDriver) drv[j] = saved + h;
        else ts[j - nd] = saved + h;
        tissueDerivative(constants, drv, ts, 0, f1, 0);
        if (isDriver) drv[j] = saved;
        else ts[j - nd] = saved;
        for (let r = 0; r < TISSUE_SIZE; r++) values[pat.tissuePos[r * nIn + j]] += (f1[r] - f0[r]) / h;
      }
      // feedback: ∂f_ischemia/∂capillary and ∂f_wall_stress/∂remodel through the forcing, by
      // differences of the full rhs
      for (const [row, state, pos] of [
        [isch, n + SCAP, pat.feedbackPos],
        [wall, n + SREM, pat.stretchPos],
      ]) {
        if (pos < 0 || row < 0) continue;
        {
          const v = y[state];
          const h = 1.4901161193847656e-8 * Math.max(Math.abs(v), state === n + SCAP ? 1 : 1e-3);
          y[state] = v + h;
          rhs(t, y, dyB);
          y[state] = v;
          // back at the point: also leaves the network's cached prologue at (t, y) as the solver expects
          rhs(t, y, dyA);
          values[pos] = (dyB[row] - dyA[row]) / h;
        }
      }
      return dtDone;
    },
  };
}

/** Number of readouts a CoupledSystem writes per row. */
export const COUPLED_READOUTS = TISSUE_READOUTS.length;
