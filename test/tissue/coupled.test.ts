import { describe, expect, it } from "vitest";
import { peerScenario } from "../../bench/peer-scenario.ts";
import { solve } from "../../src/solver/solve.ts";
import { coupledSystem } from "../../src/tissue/coupled.ts";
import { TISSUE_SIZE, tissueDerivative, tissueParams } from "../../src/tissue/model.ts";

/**
 * The coupled network + tissue ODE that every scenario is solved as (src/tissue/coupled.ts), on the
 * bench's peer scenario (constant inputs, 0–672 h, rat tissue parameters).
 */
const sc = peerScenario();
const p = tissueParams("rat");
const n = sc.net.size;

/** the sparse Jacobian's values as a dense matrix, and a central-difference Jacobian of the rhs */
function jacobians(sys: ReturnType<typeof coupledSystem>, t: number, y: Float64Array) {
  const N = sys.size;
  const f = new Float64Array(N);
  sys.rhs(t, y, f);
  const vals = new Float64Array(sys.jacobian.pattern.colIdx.length);
  sys.jacobian.evaluate(t, y, vals);
  const { rowPtr, colIdx } = sys.jacobian.pattern;
  const dense = Array.from({ length: N }, () => new Float64Array(N));
  for (let i = 0; i < N; i++) for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) dense[i][colIdx[e]] += vals[e];
  const fd = Array.from({ length: N }, () => new Float64Array(N));
  const fp = new Float64Array(N);
  const fm = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(y[j]));
    const yj = y[j];
    y[j] = yj + h;
    sys.rhs(t, y, fp);
    y[j] = yj - h;
    sys.rhs(t, y, fm);
    y[j] = yj;
    for (let i = 0; i < N; i++) fd[i][j] = (fp[i] - fm[i]) / (2 * h);
  }
  sys.rhs(t, y, f);
  return { dense, fd };
}

describe("coupled network + tissue system", () => {
  it("its rhs is the network's rhs followed by tissueDerivative on the state's drivers", () => {
    const sys = coupledSystem(sc.net, p, sc.y0);
    const N = sys.size;
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

  it("its sparse Jacobian matches central differences of the rhs, the feedback entry included", () => {
    // feedback as the scenario forcing applies it: the ischemia input rises with the capillary deficit
    let deficit = 0;
    let stretch = 0;
    const isch = sc.net.reactionIndex.get(
      sc.net.model.reactions.find((r) => r.product === "ischemia" && r.reactants.length === 0)!.id,
    )!;
    const wall = sc.net.reactionIndex.get(
      sc.net.model.reactions.find((r) => r.product === "wall_stress" && r.reactants.length === 0)!.id,
    )!;
    const w0 = sc.net.W[isch];
    sc.net.forcing = (_t, W) => {
      W[isch] = 1 - (1 - w0 * 0.3) * (1 - 0.7 * deficit);
      W[wall] = Math.min(1, 0.8 * stretch);
    };
    try {
      const sys = coupledSystem(sc.net, p, sc.y0, {
        onTissueFeedback: (d, s) => {
          deficit = d;
          stretch = s;
        },
      });
      const N = sys.size;
      // a state with capillaries below sham (deficit > 0) and every state away from its bounds (at 0,
      // where x^n has an infinite or zero slope, central differences are meaningless)
      const y = Float64Array.from(sys.y0, (v, i) => v + 0.01 + 0.05 * Math.sin(i) ** 2);
      y.set([0.6, 0.8, 0.7 * p.capillary_sham, 5, 2, 0.1], n);
      const { dense, fd } = jacobians(sys, 10, y);
      let worst = 0;
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) {
          const scale = Math.max(1e-6, Math.abs(fd[i][j]));
          worst = Math.max(worst, Math.abs(dense[i][j] - fd[i][j]) / Math.max(scale, 1e-3));
        }
      expect(worst).toBeLessThan(1e-4);
      // the feedback entries are there and not zero
      const ischRow = sc.net.index.get("ischemia")!;
      expect(Math.abs(dense[ischRow][n + 2])).toBeGreaterThan(0);
      expect(Math.abs(dense[sc.net.index.get("wall_stress")!][n + 5])).toBeGreaterThan(0);
    } finally {
      sc.net.forcing = null;
    }
  });

  it("is solved alike by dopri5 and by the stiff solvers with the sparse Jacobian", () => {
    const sys = coupledSystem(sc.net, p, sc.y0);
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
});
