/**
 * Micro benchmark of the compiled network's right-hand side and of one 28-day scenario simulation:
 * `node bin/run-ts.mjs bench/rhs-micro.ts`. Used to measure compile.ts changes before and after.
 */
import { defaultCompiledNetwork, simulate } from "../src/scenario/simulate.ts";

const net = defaultCompiledNetwork();
const scenario = { species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous" } } as const;
const first = simulate(scenario);
const y = Float64Array.from(first.y.subarray(first.y.length - net.size));
const dy = new Float64Array(net.size);
for (let i = 0; i < 20000; i++) net.rhs(0, y, dy);
const calls = 20000;
// CPU time, not wall time: the machine is shared, and CPU time is what the change affects
const c0 = process.cpuUsage();
for (let i = 0; i < calls; i++) net.rhs(0, y, dy);
const c1 = process.cpuUsage(c0);
const usPerRhs = (c1.user + c1.system) / calls;
for (let i = 0; i < 3; i++) simulate(scenario);
const times: number[] = [];
const cpu0 = process.cpuUsage();
let evals = 0;
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  evals = simulate(scenario).stats.rhsEvals;
  times.push(performance.now() - t);
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
console.log(
  `rhs ${usPerRhs.toFixed(2)} µs/eval; simulate median ${times[7].toFixed(1)} ms wall (min ${times[0].toFixed(1)}), ${((cpu.user + cpu.system) / 1000 / times.length).toFixed(1)} ms CPU, ${evals} rhs evals`,
);
