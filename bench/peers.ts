import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exportNetworkC } from "../src/network/export-c.ts";
import { exportNetworkPython } from "../src/network/export-python.ts";
import { solve } from "../src/solver/solve.ts";
import type { OdeSystem, SolverMethod } from "../src/solver/types.ts";
import { type CoupledSystem, coupledSystem } from "../src/tissue/coupled.ts";
import { exportCoupledC, exportCoupledPython } from "../src/tissue/export.ts";
import type { TissueParams } from "../src/tissue/model.ts";
import type { PeerScenario } from "./peer-scenario.ts";

/**
 * One system the three solvers run: ExoMI's OdeSystem and its C and Python exports, with the start
 * state, output times and tolerances they share. `name` keeps the generated files of different
 * problems apart in bench/build.
 */
export interface PeerProblem {
  name: string;
  sys: OdeSystem;
  y0: Float64Array;
  times: number[];
  rtol: number;
  atol: number;
  exportC(): string;
  exportPython(): string;
}

/** The network alone (the original peer rows). */
export function networkProblem(sc: PeerScenario): PeerProblem {
  return {
    name: "network",
    sys: sc.net,
    y0: sc.y0,
    times: sc.times,
    rtol: sc.rtol,
    atol: sc.atol,
    exportC: () => exportNetworkC(sc.net, sc),
    exportPython: () => exportNetworkPython(sc.net),
  };
}

/**
 * The full model on the same scenario: network + tissue as one coupled ODE (src/tissue/coupled.ts),
 * tissue starting from its post-ligation state (all at-risk myocardium viable, sham capillaries).
 */
export function multiscaleProblem(
  sc: PeerScenario,
  p: TissueParams,
): PeerProblem & { coupled: CoupledSystem } {
  const coupled = coupledSystem(sc.net, p, sc.y0);
  const run = { y0: coupled.y0, times: sc.times, rtol: sc.rtol, atol: sc.atol };
  return {
    name: "multiscale",
    coupled,
    sys: coupled,
    ...run,
    exportC: () => exportCoupledC(coupled, run),
    exportPython: () => exportCoupledPython(coupled),
  };
}

/** One solver's result on the peer scenario, in a shape common to ExoMI, CVODE and SciPy. */
export interface PeerRun {
  solver: string;
  method: string;
  msMedian: number;
  ms: number[];
  steps: number;
  /** rhs evaluations, including those spent on Jacobians */
  rhsEvals: number;
  /** rows: output times; columns: species */
  y: number[][];
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BUILD_DIR = join(ROOT, "bench", "build");

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stderr}${r.error ?? ""}`,
    );
  }
  return r.stdout;
}

/** Installs libsundials-dev, gcc and python3-scipy when missing (scripts/bench-deps.sh). */
export function ensurePeerDeps(): void {
  const r = spawnSync("bash", [join(ROOT, "scripts", "bench-deps.sh")], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) throw new Error("scripts/bench-deps.sh failed: the peers cannot be installed");
}

/** ExoMI's own solver on the scenario, timed in-process after warm-up (the JIT has optimized the rhs). */
export function runExomi(sc: PeerProblem, method: SolverMethod, repeats: number): PeerRun {
  const once = () =>
    solve(sc.sys, sc.y0, { times: sc.times, rtol: sc.rtol, atol: sc.atol, method, autonomous: true });
  // V8 optimizes a generated rhs of ~1000 lines only after thousands of calls, and on a busy
  // machine its background compile takes a second: warm up for ≥ 1.5 s and ≥ 5 runs
  const warm = performance.now();
  for (let i = 0; i < 5 || performance.now() - warm < 1500; i++) once();
  const ms: number[] = [];
  let last = once();
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    last = once();
    ms.push(performance.now() - t);
  }
  const n = sc.sys.size;
  const stiff = sc.sys.jacobian ? "Rosenbrock (stiff)" : "Rosenbrock (stiff), FD Jacobian, dense LU";
  return {
    solver: "ExoMI",
    method: method === "dopri5" ? "dopri5 (explicit RK 5(4))" : stiff,
    msMedian: median(ms),
    ms,
    steps: last.stats.steps,
    rhsEvals: last.stats.rhsEvals,
    y: sc.times.map((_, k) => Array.from(last.y.subarray(k * n, (k + 1) * n))),
  };
}

/** CVODE: export the C program, build it with gcc -O2, run it (it times its own solves). */
export function runCvode(sc: PeerProblem, method: "bdf" | "adams", repeats: number): PeerRun {
  mkdirSync(BUILD_DIR, { recursive: true });
  // the network's files keep their original names
  const stem = sc.name === "network" ? "exomi_cvode" : `exomi_${sc.name}_cvode`;
  const src = join(BUILD_DIR, `${stem}.c`);
  const exe = join(BUILD_DIR, stem);
  writeFileSync(src, sc.exportC());
  run("gcc", [
    "-O2",
    "-o",
    exe,
    src,
    "-lsundials_cvode",
    "-lsundials_nvecserial",
    "-lsundials_sunmatrixdense",
    "-lsundials_sunlinsoldense",
    "-lm",
  ]);
  // one untimed run warms caches and the dynamic loader, like ExoMI's warm-up
  const out = JSON.parse(run(exe, [String(repeats + 1), method]));
  const ms: number[] = out.ms.slice(1);
  return {
    solver: "CVODE",
    method: `${out.method}, dense direct LS, DQ Jacobian (SUNDIALS ${sundialsVersion()})`,
    msMedian: median(ms),
    ms,
    steps: out.steps,
    rhsEvals: out.rhs_evals + out.rhs_evals_jacobian,
    y: out.y,
  };
}

/** SciPy: export the Python module and run bench/scipy_driver.py (it times solve_ivp only). */
export function runScipy(sc: PeerProblem, method: string, repeats: number): PeerRun {
  mkdirSync(BUILD_DIR, { recursive: true });
  const net = sc.name === "network";
  const mod = join(BUILD_DIR, net ? "exomi_network.py" : `exomi_${sc.name}.py`);
  const spec = join(BUILD_DIR, net ? "scipy_spec.json" : `scipy_spec_${sc.name}.json`);
  writeFileSync(mod, sc.exportPython());
  writeFileSync(
    spec,
    JSON.stringify({ y0: Array.from(sc.y0), times: sc.times, rtol: sc.rtol, atol: sc.atol, method, repeats }),
  );
  const out = JSON.parse(run("python3", [join(ROOT, "bench", "scipy_driver.py"), mod, spec]));
  const version = run("python3", ["-c", "import scipy; print(scipy.__version__)"]).trim();
  return {
    solver: "SciPy",
    method: `solve_ivp ${out.method} (SciPy ${version})`,
    msMedian: out.ms_median,
    ms: out.ms,
    steps: out.steps,
    rhsEvals: out.rhs_evals,
    y: out.y,
  };
}

function sundialsVersion(): string {
  const r = spawnSync("dpkg-query", ["-W", "-f=$" + "{Version}", "libsundials-dev"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("+")[0] : "?";
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Largest relative difference between two runs over all species at every output time after the
 * start: |a − b| / max(|a|, |b|, floor). The floor keeps species that sit near zero (below the
 * absolute tolerance's reach) from dominating with meaningless ratios.
 */
export function maxRelDiff(
  a: Pick<PeerRun, "y">,
  b: Pick<PeerRun, "y">,
  floor = 1e-3,
): { value: number; species: number; time: number } {
  let worst = { value: 0, species: -1, time: -1 };
  for (let k = 1; k < a.y.length; k++) {
    for (let i = 0; i < a.y[k].length; i++) {
      const x = a.y[k][i];
      const y = b.y[k][i];
      const d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), floor);
      if (!(d <= worst.value)) worst = { value: d, species: i, time: k };
    }
  }
  return worst;
}
