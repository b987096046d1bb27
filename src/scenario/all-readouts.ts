/** Side-effect imports that register every derived readout (tissue, delivery) with readouts.ts. */
import "../tissue/readouts.ts";
import "../delivery/readouts.ts";
