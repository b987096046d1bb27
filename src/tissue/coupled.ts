import type { CompiledNetwork } from "../network/compile.ts";
import type { OdeSystem } from "../solver/types.ts";
import {
  TISSUE_DRIVERS,
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
 * tissueDerivative with the drivers read from the state itself. simulateTissue integrates the same
 * tissue equations after the network by explicit Euler on interpolated drivers; this form lets an
 * adaptive solver (ExoMI's, CVODE, SciPy) integrate network and tissue together at one tolerance,
 * which is what the multiscale peer benchmark compares. Coupling stays one-way: the tissue reads
 * the network, never the reverse, so the network block of the solution is the network's own.
 *
 * No analytic Jacobian: the stiff solvers fall back to finite differences and dense LU over all
 * network + 6 states (the tissue block is small; the network's sparse Jacobian is not reused).
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
  /** the TISSUE_READOUTS at one row of a solution (y, row-major, row k), written into out */
  readouts(y: Float64Array, k: number, out: Float64Array): void;
}

/**
 * The coupled system started at the network state netY0. The tissue's angiogenesis baseline is the
 * network's angiogenesis at that start, as simulateTissue takes it from the first output time.
 * `net` is used live (its parameters and forcing as they are when rhs runs).
 */
export function coupledSystem(
  net: CompiledNetwork,
  p: TissueParams,
  netY0: ArrayLike<number>,
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
  const y0 = new Float64Array(n + TISSUE_SIZE);
  y0.set(netY0);
  y0.set(tissueInitialState(p), n);
  // the network's rhs as a local: called as `net.rhs(…)` from here, V8 optimized the coupled rhs
  // worse (10.3 vs 6.6 ms per peer simulation when the coupled system ran first); its parameters and
  // forcing are still read live, the function itself never changes
  const netRhs = net.rhs;
  // one driver vector reused by every evaluation (rhs must not allocate)
  const drv = new Float64Array(TISSUE_DRIVERS.length);
  const gather = (y: Float64Array, off: number) => {
    for (let d = 0; d < drv.length; d++) {
      const i = driverIndex[d];
      const c = clamp[i];
      drv[d] = Number.isNaN(c) ? y[off + i] : c;
    }
  };
  return {
    size: n + TISSUE_SIZE,
    net,
    params: p,
    tissueOffset: n,
    driverIndex,
    constants,
    y0,
    rhs(t, y, dy) {
      // the network's rhs reads and writes only its first n entries
      netRhs(t, y, dy);
      gather(y, 0);
      tissueDerivative(constants, drv, y, n, dy, n);
    },
    readouts(y, k, out) {
      const off = k * (n + TISSUE_SIZE);
      gather(y, off);
      tissueReadoutsAt(p, drv, y, off + n, out);
    },
  };
}
