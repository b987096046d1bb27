import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  ApiError,
  api,
  evidenceText,
  type NetReaction,
  type NetSpecies,
  type Network,
  type Paths,
} from "../api.ts";

/**
 * Figure 2 as an interactive graph: nodes coloured by cell-type module (cargo, hubs, effects …),
 * edges as activation (arrow) or inhibition (tee). Click a node for its reactions and evidence;
 * pick a cargo to highlight every path from it to the effect outputs.
 */

const MODULE_COLORS: Record<string, string> = {
  input: "#7f7f7f",
  cargo: "#e377c2",
  cardiomyocyte: "#d62728",
  endothelial: "#2ca02c",
  macrophage: "#ff7f0e",
  fibroblast: "#8c564b",
  hub: "#1f77b4",
  aged_msc: "#bcbd22",
  effect: "#9467bd",
};
const colorOf = (m?: string) => MODULE_COLORS[m ?? ""] ?? "#17becf";

interface NodeDetail {
  species: NetSpecies;
  inputs: NetReaction[];
  outputs: NetReaction[];
}

export function NetworkPage(props: { params: URLSearchParams }) {
  const [net, setNet] = useState<Network | null>(null);
  const [cargo, setCargo] = useState(props.params.get("cargo") ?? "");
  const [paths, setPaths] = useState<Paths | null>(null);
  const [node, setNode] = useState<string | null>(props.params.get("node"));
  const [error, setError] = useState<string | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);

  useEffect(() => {
    api<Network>("/api/network").then(setNet, (e) => setError(String(e)));
  }, []);

  const elements = useMemo<ElementDefinition[]>(() => {
    if (!net) return [];
    const nodes: ElementDefinition[] = net.species.map((s) => ({
      data: { id: s.id, label: s.name, module: s.module ?? "other", color: colorOf(s.module) },
      classes: s.readout ? "effect" : s.module === "cargo" ? "cargo" : "",
    }));
    const edges: ElementDefinition[] = net.reactions.flatMap((r) =>
      r.reactants.map((x) => ({
        data: { id: `${r.id}:${x.species}`, source: x.species, target: r.product, reaction: r.id },
        classes: x.negated || r.rule.includes("-|") ? "inhibit" : "activate",
      })),
    );
    return [...nodes, ...edges];
  }, [net]);

  useEffect(() => {
    if (!host.current || elements.length === 0) return;
    const c = cytoscape({
      container: host.current,
      elements,
      layout: {
        name: "cose",
        animate: false,
        randomize: false,
        nodeRepulsion: () => 9000,
        idealEdgeLength: () => 60,
      },
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(color)",
            label: "data(label)",
            "font-size": 9,
            color: "#222",
            "text-valign": "bottom",
            "text-margin-y": 2,
            width: 14,
            height: 14,
          },
        },
        { selector: "node.effect", style: { shape: "round-rectangle", width: 26, height: 16 } },
        { selector: "node.cargo", style: { shape: "diamond" } },
        {
          selector: "edge",
          style: { width: 1, "line-color": "#bbb", "curve-style": "bezier", "arrow-scale": 0.7 },
        },
        {
          selector: "edge.activate",
          style: { "target-arrow-shape": "triangle", "target-arrow-color": "#bbb" },
        },
        {
          selector: "edge.inhibit",
          style: { "target-arrow-shape": "tee", "target-arrow-color": "#e88", "line-color": "#ecc" },
        },
        { selector: ".faded", style: { opacity: 0.12 } },
        { selector: "node.onpath", style: { "border-width": 2, "border-color": "#000" } },
        {
          selector: "edge.onpath",
          style: { width: 2.5, "line-color": "#333", "target-arrow-color": "#333", opacity: 1 },
        },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#f5b400" } },
      ],
    });
    c.on("tap", "node", (e) => setNode(e.target.id()));
    cy.current = c;
    return () => {
      c.destroy();
      cy.current = null;
    };
  }, [elements]);

  // highlight the paths from the chosen cargo
  useEffect(() => {
    if (!cargo) {
      setPaths(null);
      return;
    }
    api<Paths>(`/api/network/paths?from=${encodeURIComponent(cargo)}`).then(
      (p) => {
        setPaths(p);
        setError(null);
      },
      (e) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [cargo]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-apply the highlight when the graph is re-created
  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    c.elements().removeClass("faded onpath");
    if (!paths) return;
    const onNodes = new Set(paths.nodes);
    const onRx = new Set(paths.reactions);
    c.nodes().forEach((n) => {
      n.addClass(onNodes.has(n.id()) ? "onpath" : "faded");
    });
    c.edges().forEach((e) => {
      const on = onRx.has(e.data("reaction")) && onNodes.has(e.source().id());
      e.addClass(on ? "onpath" : "faded");
    });
  }, [paths, elements]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-select when the graph is re-created
  useEffect(() => {
    const c = cy.current;
    if (!c || !node) return;
    c.$(":selected").unselect();
    c.getElementById(node).select();
  }, [node, elements]);

  const cargoOptions = net?.species.filter((s) => s.module === "cargo") ?? [];
  const nameOf = (id: string) => net?.species.find((s) => s.id === id)?.name ?? id;

  return (
    <div className="split">
      <section className="grow">
        <h1>Network</h1>
        <div className="toolbar">
          <label>
            cargo{" "}
            <select value={cargo} onChange={(e) => setCargo(e.target.value)} data-testid="cargo-picker">
              <option value="">— none —</option>
              {cargoOptions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            find node{" "}
            <input
              list="node-names"
              placeholder="e.g. NF-kB"
              onChange={(e) => {
                const hit = net?.species.find((s) => s.name === e.target.value || s.id === e.target.value);
                if (hit) setNode(hit.id);
              }}
              data-testid="node-search"
            />
            <datalist id="node-names">
              {net?.species.map((s) => (
                <option key={s.id} value={s.name} />
              ))}
            </datalist>
          </label>
          <Legend modules={net?.modules ?? []} />
        </div>
        {error && <p className="error">{error}</p>}
        <div className="graph" ref={host} data-testid="network-graph" />
        {paths && (
          <div className="paths" data-testid="paths">
            <h3>
              Paths from {nameOf(paths.source)} to the effects ({paths.effects.length})
            </h3>
            <ul>
              {paths.effects.map((p) => (
                <li key={p.effect}>
                  <strong>{nameOf(p.effect)}</strong> {p.sign > 0 ? "▲ raised" : "▼ lowered"}:{" "}
                  {p.steps.map((s, i) => (
                    <span key={s.reaction}>
                      {i === 0 ? nameOf(s.from) : ""} {s.sign > 0 ? "→" : "⊣"} {nameOf(s.to)}
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      {node && <NodePanel id={node} nameOf={nameOf} onSelect={setNode} onClose={() => setNode(null)} />}
    </div>
  );
}

function Legend(props: { modules: string[] }) {
  return (
    <span className="legend">
      {props.modules.map((m) => (
        <span key={m}>
          <i style={{ background: colorOf(m) }} /> {m.replace(/_/g, " ")}
        </span>
      ))}
      <span>◆ cargo ▭ effect; → activates, ⊣ inhibits</span>
    </span>
  );
}

function NodePanel(props: {
  id: string;
  nameOf: (id: string) => string;
  onSelect: (id: string) => void;
  onClose: () => void;
}) {
  const [d, setD] = useState<NodeDetail | null>(null);
  useEffect(() => {
    api<NodeDetail>(`/api/network/nodes/${encodeURIComponent(props.id)}`).then(setD, () => setD(null));
  }, [props.id]);
  if (!d) return <aside className="panel">Loading…</aside>;
  const s = d.species;
  const rx = (r: NetReaction) => (
    <li key={r.id}>
      <code>{r.rule}</code>
      {r.evidence?.length ? <div className="muted">{r.evidence.map(evidenceText).join("; ")}</div> : null}
    </li>
  );
  return (
    <aside className="panel" data-testid="node-panel">
      <button type="button" className="close" onClick={props.onClose} aria-label="close">
        ×
      </button>
      <h2>{s.name}</h2>
      <p className="muted">
        id <code>{s.id}</code> · module {s.module ?? "–"} · type {s.type ?? "–"}
        {s.readout ? ` · effect readout "${s.readout}"` : ""}
      </p>
      {s.aliases?.length ? <p>aliases: {s.aliases.join(", ")}</p> : null}
      {s.notes && <p>{s.notes}</p>}
      {s.evidence?.length ? (
        <p>
          <strong>evidence:</strong> {s.evidence.map(evidenceText).join("; ")}
        </p>
      ) : null}
      <h3>Inputs ({d.inputs.length})</h3>
      <ul className="rx">{d.inputs.map(rx)}</ul>
      <h3>Outputs ({d.outputs.length})</h3>
      <ul className="rx">{d.outputs.map(rx)}</ul>
    </aside>
  );
}
