import { describe, expect, it } from "vitest";
import { peerScenario } from "../../bench/peer-scenario.ts";
import type { SimulationResult } from "../../src/scenario/simulate.ts";
import { solve } from "../../src/solver/solve.ts";
import { coupledSystem } from "../../src/tissue/coupled.ts";
import {
  simulateTissue,
  TISSUE_READOUTS,
  TISSUE_SIZE,
  tissueDerivative,
  tissueParams,
} from "../../src/tissue/model.ts";

/**
 * The coupled network + tissue ODE against simulateTissue's explicit Euler course on the same
 * network (the bench's peer scenario: constant inputs, 0–672 h, rat tissue parameters).
 * simulateTissue takes Euler sub-steps of ≤ 0.5 h on drivers interpolated linearly between output
 * times; on an output grid of spacing h ≤ 0.5 h its sub-step is h and its error is O(h). The
 * coupled system solved tightly is the reference the Euler course converges to.
 */
const sc = peerScenario();
const p = tissueParams("rat");
const sys = coupledSystem(sc.net, p, sc.y0);
const n = sc.net.size;
const N = sys.size;

/** max over output times (t > 0) of |coupled − Euler| / max(|coupled|, |Euler|, 2% of the peak), per readout */
function discrepancy(h: number): Record<string, number> {
  const times = Array.from({ length: Math.round(672 / h) + 1 }, (_, k) => k * h);
  const net = solve(sc.net, sc.y0, {
    times,
    rtol: 1e-9,
    atol: 1e-11,
    method: "rosenbrock",
    autonomous: true,
  });
  // simulateTissue reads times, y and speciesIds (all drivers are species ids verbatim)
  const result = { times: net.t, y: net.y, speciesIds: sc.net.speciesIds } as unknown as SimulationResult;
  const euler = simulateTissue(result, p);
  const ref = solve(sys, sys.y0, { times, rtol: 1e-8, atol: 1e-10, autonomous: true });
  const out: Record<string, number> = {};
  const ro = new Float64Array(TISSUE_READOUTS.length);
  const rel = (a: number, b: number, scale: number) =>
    Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 0.02 * scale);
  const peak = (x: Float64Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let k = 1; k < times.length; k++) {
    sys.readouts(ref.y, k, ro);
    TISSUE_READOUTS.forEach((id, i) => {
      const d = rel(ro[i], euler.series[id][k], peak(euler.series[id]));
      out[id] = Math.max(out[id] ?? 0, d);
    });
    out.viable = Math.max(out.viable ?? 0, rel(ref.y[k * N + n + 1], euler.viable[k], 1));
  }
  return out;
}

describe("coupled network + tissue system", () => {
  const coarse = discrepancy(0.5);
  const fine = discrepancy(0.25);

  it("agrees with simulateTissue's Euler course within the Euler scheme's own error", () => {
    // measured: ≤ 2.3e-2 at h = 0.5 h (infarct size within the first hours, where it is a few % of
    // its peak), ≤ 7e-3 at h = 0.25 h; every readout and the viable fraction
    for (const [id, d] of Object.entries(coarse)) expect(d, `${id} at h = 0.5 h`).toBeLessThan(5e-2);
    for (const [id, d] of Object.entries(fine)) expect(d, `${id} at h = 0.25 h`).toBeLessThan(1e-2);
  });

  it("the remaining difference is Euler's first-order error: halving its step halves it", () => {
    // if the coupled system's equations differed from the Euler course's, the difference would
    // not shrink with the Euler step
    for (const id of ["viable", "lvef", "collagen_fraction", "lvedd"]) {
      const ratio = coarse[id] / fine[id];
      expect(ratio, id).toBeGreaterThan(1.6);
      expect(ratio, id).toBeLessThan(3);
    }
  });

  it("is solved alike by dopri5 and by the stiff solvers on finite-difference Jacobians", () => {
    expect(sys.jacobian).toBeUndefined();
    const opts = { times: sc.times, rtol: 1e-6, atol: 1e-8, autonomous: true };
    const a = solve(sys, sys.y0, { ...opts, method: "dopri5" });
    for (const method of ["rosenbrock", "rodas3"] as const) {
      const b = solve(sys, sys.y0, { ...opts, method });
      for (let i = 0; i < a.y.length; i++) {
        const d = Math.abs(a.y[i] - b.y[i]) / Math.max(Math.abs(a.y[i]), Math.abs(b.y[i]), 1e-3);
        expect(d, `${method}, entry ${i}`).toBeLessThan(1e-3);
      }
    }
  });

  it("its rhs is the network's rhs followed by tissueDerivative on the state's drivers", () => {
    const y = Float64Array.from(sys.y0, (v, i) => v + 0.05 * Math.sin(i) ** 2);
    const dy = new Float64Array(N);
    sys.rhs(0, y, dy);
    const dnet = new Float64Array(n);
    sc.net.rhs(0, y.subarray(0, n), dnet);
    expect(Array.from(dy.subarray(0, n))).toEqual(Array.from(dnet));
    const drv = Float64Array.from(sys.driverIndex, (i) => y[i]);
    const dt = new Float64Array(TISSUE_SIZE);
    tissueDerivative(sys.constants, drv, y.subarray(n), 0, dt, 0);
    expect(Array.from(dy.subarray(n))).toEqual(Array.from(dt));
  });
});
