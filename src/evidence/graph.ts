/**
 * The mechanism graph the studies imply (Figure 2 as data): cargo → target → pathway → effect →
 * outcome. Within one study every node of a layer links to every node of the next non-empty
 * layer; edges shared by several studies carry all their ids. An edge's `direction` is what the
 * study's claims say happens to the edge's target node (up, down), "mixed" when studies disagree.
 * Effect nodes sit inside compound parents, the seven therapeutic effects of Figure 2.
 */
import type { KnowledgeBase } from "./load.ts";
import type { Study } from "./schema.ts";

export const GRAPH_LAYERS = ["cargo", "target", "pathway", "effect", "outcome"] as const;
export type GraphLayer = (typeof GRAPH_LAYERS)[number] | "effect_category";
export type EdgeDirection = "up" | "down" | "no-change" | "mixed" | "unknown";

export interface GraphNode {
  id: string;
  label: string;
  type: string;
  layer: GraphLayer;
  /** every layer the entity occupies in some study (AKT is cargo in one, target in others) */
  layers: GraphLayer[];
  parent?: string;
  studies: string[];
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  direction: EdgeDirection;
  studies: string[];
}

export interface EvidenceGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const GRAPH_FORMATS = ["cytoscape", "graphml", "csv"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

function studyLayers(kb: KnowledgeBase, s: Study): Record<(typeof GRAPH_LAYERS)[number], string[]> {
  const outcomes = [...new Set(s.claims.map((c) => c.readout))].filter(
    (r) => kb.entityById.get(r)?.type === "outcome",
  );
  return {
    cargo: s.cargo.length > 0 ? s.cargo : s.engineering,
    target: s.targets,
    pathway: s.pathways,
    effect: s.effects,
    outcome: outcomes,
  };
}

function directionIn(s: Study, node: string): EdgeDirection {
  const dirs = new Set(s.claims.filter((c) => c.readout === node).map((c) => c.direction));
  if (dirs.size !== 1) return dirs.size === 0 ? "unknown" : "mixed";
  const d = [...dirs][0];
  return d === "increase" ? "up" : d === "decrease" ? "down" : "no-change";
}

export function buildEvidenceGraph(kb: KnowledgeBase): EvidenceGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge & { perStudy: EdgeDirection[] }>();
  const addNode = (id: string, layer: GraphLayer, study: string) => {
    const e = kb.entityById.get(id);
    let n = nodes.get(id);
    if (!n) {
      n = { id, label: e?.name ?? id, type: e?.type ?? "unknown", layer, layers: [], studies: [] };
      if (layer === "effect" && e?.effect_category) n.parent = e.effect_category;
      nodes.set(id, n);
    }
    if (!n.layers.includes(layer)) n.layers.push(layer);
    if (!n.studies.includes(study)) n.studies.push(study);
  };
  for (const s of kb.studies) {
    const layers = studyLayers(kb, s);
    const filled = GRAPH_LAYERS.filter((l) => layers[l].length > 0);
    for (const l of filled) for (const id of layers[l]) addNode(id, l, s.id);
    for (let i = 0; i + 1 < filled.length; i++) {
      for (const from of layers[filled[i]]) {
        for (const to of layers[filled[i + 1]]) {
          if (from === to) continue;
          const id = `${from}->${to}`;
          let edge = edges.get(id);
          if (!edge) {
            edge = { id, source: from, target: to, direction: "unknown", studies: [], perStudy: [] };
            edges.set(id, edge);
          }
          if (!edge.studies.includes(s.id)) {
            edge.studies.push(s.id);
            edge.perStudy.push(directionIn(s, to));
          }
        }
      }
    }
  }
  for (const n of [...nodes.values()]) {
    if (n.parent && !nodes.has(n.parent)) {
      const e = kb.entityById.get(n.parent);
      nodes.set(n.parent, {
        id: n.parent,
        label: e?.name ?? n.parent,
        type: "effect",
        layer: "effect_category",
        layers: ["effect_category"],
        studies: [],
      });
    }
  }
  const out: GraphEdge[] = [...edges.values()].map(({ perStudy, ...edge }) => {
    const known = new Set(perStudy.filter((d) => d !== "unknown"));
    const direction: EdgeDirection =
      known.size === 0 ? "unknown" : known.size === 1 ? [...known][0] : "mixed";
    return { ...edge, direction };
  });
  return { nodes: [...nodes.values()], edges: out };
}

/** Cytoscape.js JSON: `{ elements: { nodes: [{ data }], edges: [{ data }] } }`. */
export function toCytoscape(g: EvidenceGraph): {
  elements: { nodes: { data: Record<string, unknown> }[]; edges: { data: Record<string, unknown> }[] };
} {
  return {
    elements: {
      nodes: g.nodes.map((n) => ({ data: { ...n } })),
      edges: g.edges.map((e) => ({ data: { ...e } })),
    },
  };
}

const xml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function toGraphML(g: EvidenceGraph): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
    '  <key id="layer" for="node" attr.name="layer" attr.type="string"/>',
    '  <key id="parent" for="node" attr.name="parent" attr.type="string"/>',
    '  <key id="direction" for="edge" attr.name="direction" attr.type="string"/>',
    '  <key id="studies" for="edge" attr.name="studies" attr.type="string"/>',
    '  <graph id="exomi-evidence" edgedefault="directed">',
  ];
  for (const n of g.nodes) {
    lines.push(`    <node id="${xml(n.id)}">`);
    lines.push(`      <data key="label">${xml(n.label)}</data>`);
    lines.push(`      <data key="type">${xml(n.type)}</data>`);
    lines.push(`      <data key="layer">${xml(n.layer)}</data>`);
    if (n.parent) lines.push(`      <data key="parent">${xml(n.parent)}</data>`);
    lines.push("    </node>");
  }
  for (const e of g.edges) {
    lines.push(`    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">`);
    lines.push(`      <data key="direction">${e.direction}</data>`);
    lines.push(`      <data key="studies">${xml(e.studies.join(";"))}</data>`);
    lines.push("    </edge>");
  }
  lines.push("  </graph>", "</graphml>");
  return `${lines.join("\n")}\n`;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One edge per line; node layers are included so the file stands alone. */
export function toCsv(g: EvidenceGraph): string {
  const layer = new Map(g.nodes.map((n) => [n.id, n.layer]));
  const rows = [["source", "target", "source_layer", "target_layer", "direction", "studies"]];
  for (const e of g.edges) {
    rows.push([
      e.source,
      e.target,
      layer.get(e.source) ?? "",
      layer.get(e.target) ?? "",
      e.direction,
      e.studies.join(";"),
    ]);
  }
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\n")}\n`;
}
