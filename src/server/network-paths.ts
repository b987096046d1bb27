import type { NetworkModel, Reaction } from "../network/model.ts";

/**
 * Which parts of the network carry a cargo's effect: the nodes and reactions on some directed path
 * from the cargo to an effect output, and one shortest path per effect reached. A reaction `A & B
 * => C` carries signal from A and from B; inhibition (`A -| C`, `!A => C`) is an edge with sign −1.
 * Paths do not continue through other effect outputs (an effect is where a path ends).
 */

export interface PathStep {
  from: string;
  to: string;
  reaction: string;
  sign: 1 | -1;
}

export interface EffectPath {
  effect: string;
  /** node ids from the source to the effect */
  nodes: string[];
  steps: PathStep[];
  /** product of the edge signs: +1 the cargo raises the effect along this path, −1 lowers it */
  sign: 1 | -1;
}

export interface CargoPaths {
  source: string;
  effects: EffectPath[];
  /** every node on some path from the source to an effect */
  nodes: string[];
  /** every reaction on some such path */
  reactions: string[];
}

interface Edge {
  to: string;
  reaction: Reaction;
  sign: 1 | -1;
}

function adjacency(model: NetworkModel): Map<string, Edge[]> {
  const out = new Map<string, Edge[]>();
  for (const r of model.reactions) {
    for (const re of r.reactants) {
      const list = out.get(re.species) ?? [];
      list.push({ to: r.product, reaction: r, sign: re.negated ? -1 : 1 });
      out.set(re.species, list);
    }
  }
  return out;
}

/** effect outputs: species that are readouts */
export function effectIds(model: NetworkModel): Set<string> {
  return new Set(model.species.filter((s) => s.readout).map((s) => s.id));
}

export function pathsFrom(
  model: NetworkModel,
  source: string,
  targets: Set<string> = effectIds(model),
): CargoPaths {
  const adj = adjacency(model);
  // forward BFS, remembering the first edge that reached each node (shortest paths)
  const parent = new Map<string, { prev: string; edge: Edge } | null>([[source, null]]);
  const queue = [source];
  while (queue.length > 0) {
    const u = queue.shift()!;
    if (u !== source && targets.has(u)) continue;
    for (const e of adj.get(u) ?? []) {
      if (parent.has(e.to)) continue;
      parent.set(e.to, { prev: u, edge: e });
      queue.push(e.to);
    }
  }
  const reached = new Set(parent.keys());

  // backward closure from the reached targets, within the forward-reachable set
  const onPath = new Set<string>();
  const rxOnPath = new Set<string>();
  const reverse = new Map<string, { from: string; edge: Edge }[]>();
  for (const [from, edges] of adj) {
    if (!reached.has(from) || (from !== source && targets.has(from))) continue;
    for (const e of edges) {
      if (!reached.has(e.to)) continue;
      const list = reverse.get(e.to) ?? [];
      list.push({ from, edge: e });
      reverse.set(e.to, list);
    }
  }
  const stack = [...targets].filter((t) => reached.has(t) && t !== source);
  for (const t of stack) onPath.add(t);
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const { from, edge } of reverse.get(v) ?? []) {
      rxOnPath.add(edge.reaction.id);
      if (!onPath.has(from)) {
        onPath.add(from);
        stack.push(from);
      }
    }
  }

  const effects: EffectPath[] = [];
  for (const t of targets) {
    if (t === source || !reached.has(t)) continue;
    const steps: PathStep[] = [];
    let v = t;
    for (let p = parent.get(v); p; p = parent.get(v)) {
      steps.unshift({ from: p.prev, to: v, reaction: p.edge.reaction.id, sign: p.edge.sign });
      v = p.prev;
    }
    const sign = steps.reduce<1 | -1>((s, st) => (s * st.sign) as 1 | -1, 1);
    effects.push({ effect: t, nodes: [source, ...steps.map((s) => s.to)], steps, sign });
  }
  effects.sort((a, b) => a.steps.length - b.steps.length || a.effect.localeCompare(b.effect));
  if (onPath.size > 0) onPath.add(source);
  return { source, effects, nodes: [...onPath], reactions: [...rxOnPath] };
}
