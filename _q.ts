import { defaultCompiledNetwork } from "./src/scenario/simulate.ts";
const net = defaultCompiledNetwork();
const y = new Float64Array(net.size).fill(0.3), dy = new Float64Array(net.size);
for (let rep=0; rep<3; rep++){ const t0=performance.now(); for (let i=0;i<100000;i++) net.rhs(i*1e-3, y, dy); console.log("rhs us", (performance.now()-t0)/100000*1000); }
