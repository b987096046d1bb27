import "./src/tissue/readouts.ts";
import { simulate } from "./src/scenario/simulate.ts";
import { readoutValue } from "./src/scenario/readouts.ts";
const ro = ["infarct_size","lvef","fractional_shortening","lvedd","capillary_density","collagen_fraction"];
const cases = {
  ratPL: { species: "rat", injury: "permanent-ligation", therapy: null },
  ratPLexo: { species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous" } },
  ratPLmif: { species: "rat", injury: "permanent-ligation", therapy: { route: "intravenous", engineering: [{kind:"overexpress",gene:"MIF"}] } },
  ratIR: { species: "rat", injury: "ischemia-reperfusion", therapy: null },
  mousePL: { species: "mouse", injury: "permanent-ligation", therapy: null },
  none: { species: "rat", injury: "none", therapy: null },
};
for (const [k, sc] of Object.entries(cases)) {
  const r = simulate(sc as never);
  for (const t of [24, 168, 504, 672]) console.log(k, t, ro.map(x => `${x}:${readoutValue(r, x, t).toFixed(1)}`).join(" "));
}
