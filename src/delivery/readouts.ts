import { registerDerivedReadout } from "../scenario/readouts.ts";
import { deliveryReadouts } from "./simulate.ts";

/** Delivery readouts of a Scenario: 0 when there is no therapy (nothing delivered). */
registerDerivedReadout(
  "cardiac_exposure",
  (r, t) => (r.delivery ? deliveryReadouts(r.delivery, t).cardiac_exposure : 0),
  ["heart exposure", "myocardial exposure"],
);
registerDerivedReadout(
  "cardiac_retention",
  (r, t) => (r.delivery ? deliveryReadouts(r.delivery, t).cardiac_retention : 0),
  ["retention", "exosome retention", "heart retention"],
);
