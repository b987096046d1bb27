import cytoscape from "cytoscape";
import { describe, expect, it } from "vitest";
import {
  buildEvidenceGraph,
  loadKnowledgeBase,
  toCsv,
  toCytoscape,
  toGraphML,
} from "../../src/evidence/index.ts";

const kb = loadKnowledgeBase();
const graph = buildEvidenceGraph(kb);

describe("evidence graph", () => {
  it("is valid Cytoscape.js JSON: unique data.id, edges between existing nodes, loads headless", () => {
    const json = JSON.parse(JSON.stringify(toCytoscape(graph)));
    const nodes: { data: { id: string; parent?: string } }[] = json.elements.nodes;
    const edges: { data: { id: string; source: string; target: string; studies: string[] } }[] =
      json.elements.edges;
    const ids = new Set(nodes.map((n) => n.data.id));
    expect(ids.size).toBe(nodes.length);
    for (const n of nodes) if (n.data.parent) expect(ids.has(n.data.parent)).toBe(true);
    for (const e of edges) {
      expect(ids.has(e.data.source), e.data.id).toBe(true);
      expect(ids.has(e.data.target), e.data.id).toBe(true);
      expect(e.data.studies.length).toBeGreaterThan(0);
      for (const s of e.data.studies) expect(kb.studyById.has(s)).toBe(true);
    }
    const cy = cytoscape({ headless: true, elements: json.elements });
    expect(cy.nodes().length).toBe(nodes.length);
    expect(cy.edges().length).toBe(edges.length);
  });

  it("traces miR-23a-3p → DMT1 → ferroptosis (Song et al., 2021) with directions", () => {
    const edge = (s: string, t: string) => graph.edges.find((e) => e.source === s && e.target === t);
    expect(edge("MIR23A_3P", "DMT1")).toMatchObject({ direction: "down", studies: ["T1-18"] });
    expect(edge("DMT1", "ferroptosis")).toMatchObject({ direction: "down", studies: ["T1-18"] });
  });

  it("groups effect nodes under the Figure 2 effects", () => {
    const pyro = graph.nodes.find((n) => n.id === "pyroptosis")!;
    expect(pyro.parent).toBe("immunomodulation");
    expect(graph.nodes.filter((n) => n.layer === "effect_category").length).toBeGreaterThanOrEqual(6);
  });

  it("exports the same edges as GraphML and CSV", () => {
    const gml = toGraphML(graph);
    expect(gml.match(/<edge /g)?.length).toBe(graph.edges.length);
    expect(gml.match(/<node /g)?.length).toBe(graph.nodes.length);
    const csv = toCsv(graph).trim().split("\n");
    expect(csv[0]).toBe("source,target,source_layer,target_layer,direction,studies");
    expect(csv).toHaveLength(graph.edges.length + 1);
  });
});
