import { simulate } from "./src/scenario/simulate.ts";
const base = simulate({ species: "rat", injury: "none", therapy: null, duration_h: 10 });
console.log(base.speciesIds.filter((id)=>base.at(id,0)>0.01).map(id=>`${id}:${base.at(id,0).toFixed(3)}`).join(" "));
