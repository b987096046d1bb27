import type { Reaction, Species } from "../../src/network/model.ts";
import { parseRule } from "../../src/network/rules.ts";

/** A species with Netflux defaults (yinit 0, ymax 1, tau 1), for hand-built test networks. */
export const sp = (id: string, extra: Partial<Species> = {}): Species => ({
  id,
  name: id,
  yinit: 0,
  ymax: 1,
  tau: 1,
  ...extra,
});

/** A reaction parsed from its rule with Netflux defaults (W 1, n 1.4, EC50 0.5). */
export const rx = (id: string, rule: string, p: Partial<Reaction> = {}): Reaction => ({
  id,
  rule,
  ...parseRule(rule),
  W: 1,
  n: 1.4,
  EC50: 0.5,
  ...p,
});
