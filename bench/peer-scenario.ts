import { cargoLevel, cargoSpecies, designFromTherapy } from "../src/engineering/cargo.ts";
import { type CompiledNetwork, compileNetwork } from "../src/network/compile.ts";
import { loadNetworkYaml } from "../src/network/yaml-format.ts";
import { Therapy } from "../src/scenario/schema.ts";
import { steadyState } from "../src/solver/solve.ts";

/**
 * The scenario all three solvers run: the full ExoMI network with constant inputs, like a
 * permanent ligation under a sustained native-HUCMSC-exosome exposure: ischemia input W = 1,
 * reperfusion 0, each cargo input at its level for the reference exposure (x = 1), from the
 * uninjured steady state (all injury and cargo inputs 0) over 28 days. Constant inputs make the
 * system autonomous, so it can be exported as a snapshot of parameters (export-c.ts).
 */
export interface PeerScenario {
  net: CompiledNetwork;
  y0: Float64Array;
  times: number[];
  rtol: number;
  atol: number;
  description: string;
}

export const PEER_TIMES = [0, 6, 24, 72, 168, 336, 672];

export function peerScenario(rtol = 1e-6, atol = 1e-8): PeerScenario {
  const model = loadNetworkYaml();
  const net = compileNetwork(model);
  const inputOf = (species: string) =>
    model.reactions.findIndex((r) => r.product === species && r.reactants.length === 0);
  const isch = inputOf("ischemia");
  const rep = inputOf("reperfusion");
  const cargo = cargoSpecies(model)
    .map((id) => ({ id, j: inputOf(id) }))
    .filter((c) => c.j >= 0);
  if (isch < 0) throw new Error("the network has no ischemia input");

  for (const c of cargo) net.W[c.j] = 0;
  net.W[isch] = 0;
  if (rep >= 0) net.W[rep] = 0;
  const rest = steadyState(net, net.initialState(), { tMax: 5000, tol: 1e-8, rtol: 1e-6, atol: 1e-9 });
  // as simulate() does: the state after at most 5000 h is the start, converged or not (slow
  // modules may still drift by ~1e-6/h); all three solvers start from these same numbers

  const design = designFromTherapy(model, Therapy.parse({}));
  net.W[isch] = 1;
  for (const c of cargo) net.W[c.j] = cargoLevel(design.profile.get(c.id) ?? 0, 1, design.K);
  net.forcing = null;
  return {
    net,
    y0: rest.y,
    times: PEER_TIMES,
    rtol,
    atol,
    description: `ExoMI network (${net.size} species, ${net.reactionIds.length} reactions), ischemia W=1, native HUCMSC cargo inputs constant (x=1), from the uninjured steady state, 0–672 h`,
  };
}
