import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { peerScenario } from "../../bench/peer-scenario.ts";
import { compileNetwork } from "../../src/network/compile.ts";
import { exportNetworkC, numberLiteral } from "../../src/network/export-c.ts";
import { exportNetworkPython } from "../../src/network/export-python.ts";
import type { NetworkModel } from "../../src/network/model.ts";
import { solve } from "../../src/solver/solve.ts";
import { coupledSystem } from "../../src/tissue/coupled.ts";
import { exportCoupledC, exportCoupledPython } from "../../src/tissue/export.ts";
import { tissueParams } from "../../src/tissue/model.ts";
import { rx, sp } from "../support/model-builders.ts";

/** AND with inhibition, OR, two exponents on one species, a clamp, a species without producer */
const model: NetworkModel = {
  name: "export-check",
  species: [
    sp("A", { tau: 0.5 }),
    sp("B"),
    sp("C", { tau: 2, ymax: 0.9 }),
    sp("D", { yinit: 0.4, tau: 4 }),
    sp("E"),
  ],
  reactions: [
    rx("r1", "=> A", { W: 0.8 }),
    rx("r2", "=> B", { W: 0.6 }),
    rx("r3", "A & !B => C", { W: 0.9 }),
    rx("r4", "B => C", { W: 0.7, n: 2, EC50: 0.4 }),
    rx("r5", "A & B & C => E", { W: 0.5, n: 3 }),
    rx("r6", "!A => D"),
  ],
};
const state = [0.3, 0.6, 0.2, 0.4, 0.1];
const hasPython = spawnSync("python3", ["-c", "import scipy.integrate"]).status === 0;
const hasCvode = existsSync("/usr/include/cvode/cvode.h") && spawnSync("gcc", ["--version"]).status === 0;
if (!hasPython || !hasCvode)
  console.warn(
    "\n*** test/bench: peers missing; run `bash scripts/bench-deps.sh` to test the C/Python exports ***\n",
  );

function jsRhs(clampE?: number): number[] {
  const c = compileNetwork(model);
  if (clampE !== undefined) c.clamp[4] = clampE;
  const dy = new Float64Array(5);
  c.rhs(0, Float64Array.from(state), dy);
  return Array.from(dy);
}

describe("exported right-hand sides", () => {
  it("writes doubles as literals that read back exactly", () => {
    for (const x of [0.1, 1 / 3, 1e-300, 2, 123456789.123]) expect(Number(numberLiteral(x))).toBe(x);
    expect(numberLiteral(2)).toMatch(/\./);
  });

  it.skipIf(!hasPython)("Python rhs equals the compiled JavaScript rhs (with a clamp)", () => {
    const c = compileNetwork(model);
    c.clamp[4] = 0.25;
    const dir = mkdtempSync(join(tmpdir(), "exomi-export-"));
    writeFileSync(join(dir, "m.py"), exportNetworkPython(c));
    const r = spawnSync(
      "python3",
      [
        "-c",
        `import json,sys; sys.path.insert(0, ${JSON.stringify(dir)}); import m; print(json.dumps(m.rhs(0, ${JSON.stringify(state)})))`,
      ],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    const py: number[] = JSON.parse(r.stdout);
    const js = jsRhs(0.25);
    expect(py[4]).toBe(0);
    py.forEach((v, i) => {
      expect(Math.abs(v - js[i])).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(js[i])));
    });
  });

  it.skipIf(!hasCvode)("the CVODE driver reproduces ExoMI's trajectory", () => {
    const c = compileNetwork(model);
    const y0 = c.initialState();
    const times = [0, 1, 5, 20];
    const out = buildAndRunCvode(exportNetworkC(c, { y0, times, rtol: 1e-8, atol: 1e-10 }));
    const ref = solve(c, y0, { times, rtol: 1e-10, atol: 1e-12 });
    expect(out.method).toBe("BDF");
    expect(out.rhs_evals).toBeGreaterThan(0);
    times.forEach((_, k) => {
      for (let i = 0; i < 5; i++) expect(out.y[k][i]).toBeCloseTo(ref.y[k * 5 + i], 6);
    });
    expect(out.y[3][0]).toBeCloseTo(0.8, 6); // A relaxes to its input weight
  });
});

/** gcc against CVODE; stdout of the built program run as `./d 1 bdf` */
function buildAndRunCvode(source: string): { method: string; rhs_evals: number; y: number[][] } {
  const dir = mkdtempSync(join(tmpdir(), "exomi-export-"));
  writeFileSync(join(dir, "d.c"), source);
  const libs = [
    "-lsundials_cvode",
    "-lsundials_nvecserial",
    "-lsundials_sunmatrixdense",
    "-lsundials_sunlinsoldense",
    "-lm",
  ];
  const b = spawnSync("gcc", ["-O2", "-o", join(dir, "d"), join(dir, "d.c"), ...libs], { encoding: "utf8" });
  expect(b.stderr).toBe("");
  return JSON.parse(spawnSync(join(dir, "d"), ["1", "bdf"], { encoding: "utf8" }).stdout);
}

describe("exported full model (network + tissue, src/tissue/export.ts)", () => {
  // the bench's multiscale case: the whole network with constant inputs, rat tissue parameters
  const sc = peerScenario();
  const sys = coupledSystem(sc.net, tissueParams("rat"), sc.y0);
  const n = sys.tissueOffset;

  it("appends six tissue states and bakes the tissue parameters in as literals", () => {
    const py = exportCoupledPython(sys);
    expect(py).toContain(`SIZE = ${n + 6}`);
    expect(py).toContain('"tissue:viable"');
    // k_scar and the area at risk (as 100·aar), written as exact literals
    expect(py).toContain(numberLiteral(tissueParams("rat").k_scar));
    expect(py).toContain(numberLiteral(100 * tissueParams("rat").area_at_risk));
    const c = exportCoupledC(sys, { y0: sys.y0, times: [0, 1], rtol: 1e-6, atol: 1e-8 });
    expect(c).toContain(`#define NEQ ${n + 6}`);
    expect(c).toContain(`dy[${n + 5}] =`);
    expect(() => exportCoupledC(sys, { y0: sc.y0, times: [0, 1], rtol: 1e-6, atol: 1e-8 })).toThrow(/y0/);
  });

  it.skipIf(!hasPython)("Python rhs equals the coupled TypeScript rhs, tissue states included", () => {
    // off the start state, so every tissue term (death, salvage, sprouting, scar, remodelling) is active
    const y = Float64Array.from(sys.y0, (v, i) => v + 0.1 * Math.sin(i) ** 2);
    y.set([0.6, 0.8, 3000, 5, 1, 0.05], n);
    const js = new Float64Array(sys.size);
    sys.rhs(0, y, js);
    const dir = mkdtempSync(join(tmpdir(), "exomi-export-"));
    writeFileSync(join(dir, "m.py"), exportCoupledPython(sys));
    const r = spawnSync(
      "python3",
      [
        "-c",
        `import json,sys; sys.path.insert(0, ${JSON.stringify(dir)}); import m; print(json.dumps(m.rhs(0, ${JSON.stringify(Array.from(y))})))`,
      ],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    const py: number[] = JSON.parse(r.stdout);
    expect(py.length).toBe(sys.size);
    for (let i = n; i < sys.size; i++) expect(js[i], `tissue state ${i - n}`).not.toBe(0);
    py.forEach((v, i) => {
      // the network's powers are exp(n·ln x) in TypeScript, ** in Python: a few ulps apart
      expect(Math.abs(v - js[i])).toBeLessThanOrEqual(1e-12 * Math.max(1e-3, Math.abs(js[i])));
    });
  });

  it.skipIf(!hasCvode)("the CVODE driver reproduces ExoMI's coupled trajectory", () => {
    const times = [0, 24, 168, 672];
    const out = buildAndRunCvode(exportCoupledC(sys, { y0: sys.y0, times, rtol: 1e-8, atol: 1e-10 }));
    const ref = solve(sys, sys.y0, { times, rtol: 1e-10, atol: 1e-12, autonomous: true });
    expect(out.method).toBe("BDF");
    for (let k = 1; k < times.length; k++) {
      for (let i = 0; i < sys.size; i++) {
        const a = out.y[k][i];
        const b = ref.y[k * sys.size + i];
        expect(
          Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-3),
          `state ${i} at ${times[k]} h`,
        ).toBeLessThan(1e-5);
      }
    }
    // the tissue moved: a sizeable infarct (viable fraction of the area at risk well below 1)
    expect(out.y[3][n + 1]).toBeLessThan(0.8);
  });
});
