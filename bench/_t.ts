import { fastPow } from "../src/network/fast-math.ts";
let maxe = 0, worst = [0,0];
for (let i = 0; i < 2e6; i++) {
  const x = i % 3 === 0 ? Math.random() : i%3===1 ? Math.exp((Math.random() - 0.5) * 80) : Math.random()*1e-3;
  const e = [1, 1.4, 2, 3.7, 0.5, 8][i % 6];
  const a = fastPow(x, e), b = Math.pow(x, e);
  const r = Math.abs(a / b - 1);
  if (r > maxe) { maxe = r; worst = [x, e]; }
}
console.log("max rel", maxe, worst);
const N = 2_000_000; const xs = new Float64Array(1024); for (let i = 0; i < 1024; i++) xs[i] = Math.random();
for (let rep = 0; rep < 2; rep++) {
  let t = performance.now(); let s = 0;
  for (let i = 0; i < N; i++) s += fastPow(xs[i & 1023], 1.4);
  console.log("fast", ((performance.now() - t) * 1e6 / N).toFixed(1), "ns", s > 0);
  t = performance.now(); s = 0;
  for (let i = 0; i < N; i++) s += Math.pow(xs[i & 1023], 1.4);
  console.log("Math.pow", ((performance.now() - t) * 1e6 / N).toFixed(1), "ns", s > 0);
}
