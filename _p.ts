import { simulate } from "./src/scenario/simulate.ts";
for (let i=0;i<5;i++){ const t0=performance.now(); const r=simulate({ species: "rat", injury: "permanent-ligation", therapy: { source: "hucmsc" }, duration_h: 672 }); console.log((performance.now()-t0).toFixed(1), r.stats.rhsEvals); }
