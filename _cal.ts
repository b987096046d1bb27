import { simulate } from "./src/scenario/simulate.ts";
import { simulateTissue, tissueParams } from "./src/tissue/model.ts";
const sims = {
  PL: simulate({ species: "rat", injury: "permanent-ligation", therapy: null }),
  PLx: simulate({ species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous" } }),
  PLmif: simulate({ species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous", engineering: [{kind:"overexpress",gene:"MIF"}] } }),
  IR: simulate({ species: "rat", injury: "ischemia-reperfusion", therapy: null }),
  IRx: simulate({ species: "rat", injury: "ischemia-reperfusion", therapy: { time_h: 0.5 } }),
};
const ov = JSON.parse(process.argv[2] ?? "{}");
for (const [k, r] of Object.entries(sims)) { const c = simulateTissue(r, tissueParams("rat", ov)); const i = c.times.length-1; const j = c.times.indexOf(504);
 console.log(k.padEnd(6), Object.entries(c.series).map(([x,v]) => `${x}:${v[i].toFixed(1)}`).join(" "), "cap21d:", c.series.capillary_density[j].toFixed(0)); }
