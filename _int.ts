import { simulate } from "./src/scenario/simulate.ts";
const sc = {
  PL: { species: "rat", injury: "permanent-ligation", therapy: null },
  PLx: { species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous" } },
  PLmif: { species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous", engineering: [{kind:"overexpress",gene:"MIF"}] } },
  IR: { species: "rat", injury: "ischemia-reperfusion", therapy: null },
  IRx: { species: "rat", injury: "ischemia-reperfusion", therapy: { time_h: 0.5 } },
};
for (const [k, s] of Object.entries(sc)) {
  const r = simulate(s as never);
  const integ = (id: string, f = (x: number) => x) => { const v = r.series(id); let a = 0; for (let i = 1; i < r.times.length; i++) a += 0.5 * (f(v[i]) + f(v[i-1])) * (r.times[i] - r.times[i-1]); return a; };
  console.log(k, "isch", integ("ischemia", x => 2*Math.max(0,x-0.5)).toFixed(1), ["MPTP","apoptosis","pyroptosis","ferroptosis"].map(id => id+":"+integ(id).toFixed(1)).join(" "));
}
