import { useEffect, useMemo, useState } from "react";
import { ApiError, api, type Study, type StudyDetail } from "../api.ts";

/** Tables 1–2 of the review: searchable, filterable; a study's claims and the network path of each. */

const T1_COLUMNS = ["cargo", "mechanism", "outcomes", "route", "model", "finding", "references"];
const T2_COLUMNS = ["strategy", "modification", "advantages", "outcomes", "carrier", "references"];
const FILTERS = ["route", "species", "model", "effect"] as const;
type FilterKey = (typeof FILTERS)[number];

export function EvidencePage(props: { params: URLSearchParams }) {
  const [all, setAll] = useState<Study[]>([]);
  const [shown, setShown] = useState<Study[] | null>(null);
  const [search, setSearch] = useState(props.params.get("search") ?? "");
  const [filters, setFilters] = useState<Record<FilterKey, string>>({
    route: "",
    species: "",
    model: "",
    effect: "",
  });
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(props.params.get("study"));

  useEffect(() => {
    api<{ studies: Study[] }>("/api/evidence/studies").then(
      (r) => setAll(r.studies),
      (e) => setError(String(e)),
    );
  }, []);

  // the server does the matching (aliases, Greek letters, pathway members); debounce typing
  useEffect(() => {
    const q = new URLSearchParams();
    if (search.trim()) q.set("search", search.trim());
    for (const k of FILTERS) if (filters[k]) q.set(k, filters[k]);
    const ctl = new AbortController();
    const t = setTimeout(() => {
      api<{ studies: Study[] }>(`/api/evidence/studies?${q}`, { signal: ctl.signal }).then(
        (r) => {
          setShown(r.studies);
          setError(null);
        },
        (e) => {
          if (e instanceof ApiError) setError(e.message);
        },
      );
    }, 200);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [search, filters]);

  const options = useMemo(() => {
    const pick = (f: (s: Study) => string[]) => [...new Set(all.flatMap(f))].sort();
    return {
      route: pick((s) => s.routes),
      species: pick((s) => s.species),
      model: pick((s) => s.models),
      effect: pick((s) => s.effects),
    } as Record<FilterKey, string[]>;
  }, [all]);

  const rows = shown ?? all;
  const t1 = rows.filter((s) => s.table === 1);
  const t2 = rows.filter((s) => s.table === 2);

  return (
    <div className="split">
      <section className="grow">
        <h1>Evidence</h1>
        <p className="muted">
          Table 1 (mechanisms of HUCMSC-Exos in MI) and Table 2 (engineering strategies) of the review, with
          the references as the review cites them. Click a row to see its claims and the network path of each.
        </p>
        <div className="toolbar">
          <input
            type="search"
            placeholder="Search (e.g. ferroptosis, miR-23a-3p, hydrogel)"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="evidence-search"
          />
          {FILTERS.map((k) => (
            <label key={k}>
              {k}{" "}
              <select
                value={filters[k]}
                onChange={(e) => setFilters({ ...filters, [k]: e.target.value })}
                data-testid={`filter-${k}`}
              >
                <option value="">all</option>
                {options[k].map((o) => (
                  <option key={o} value={o}>
                    {o.replace(/_/g, " ")}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <span className="count" data-testid="evidence-count">
            {rows.length} of {all.length} studies
          </span>
        </div>
        {error && <p className="error">{error}</p>}
        <StudyTable
          title="Table 1 — mechanisms"
          columns={T1_COLUMNS}
          studies={t1}
          onSelect={setSelected}
          selected={selected}
        />
        <StudyTable
          title="Table 2 — engineering strategies"
          columns={T2_COLUMNS}
          studies={t2}
          onSelect={setSelected}
          selected={selected}
        />
      </section>
      {selected && <StudyPanel id={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}

function StudyTable(props: {
  title: string;
  columns: string[];
  studies: Study[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  if (props.studies.length === 0) return null;
  return (
    <>
      <h2>
        {props.title} <span className="muted">({props.studies.length})</span>
      </h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>id</th>
              {props.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.studies.map((s) => (
              <tr
                key={s.id}
                className={s.id === props.selected ? "selected" : ""}
                onClick={() => props.onSelect(s.id)}
                data-testid={`study-${s.id}`}
              >
                <td className="mono">{s.id}</td>
                {props.columns.map((c) => (
                  <td key={c}>{s.cells[c]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function StudyPanel(props: { id: string; onClose: () => void }) {
  const [d, setD] = useState<StudyDetail | null>(null);
  useEffect(() => {
    setD(null);
    api<StudyDetail>(`/api/evidence/studies/${props.id}`).then(setD, () => setD(null));
  }, [props.id]);
  if (!d) return <aside className="panel">Loading {props.id}…</aside>;
  const name = (id: string) => d.entities[id]?.name ?? id;
  return (
    <aside className="panel" data-testid="study-panel">
      <button type="button" className="close" onClick={props.onClose} aria-label="close">
        ×
      </button>
      <h2>
        {d.study.id}{" "}
        <span className="muted">
          Table {d.study.table}, row {d.study.row}
        </span>
      </h2>
      <p>
        <strong>References:</strong>{" "}
        {d.references.map((r) => `${r.id} (cited in §${r.sections.join(", §") || "–"})`).join("; ") || "–"}
      </p>
      <dl className="facts">
        <dt>cargo</dt>
        <dd>{d.study.cargo.map(name).join(", ") || "–"}</dd>
        <dt>targets</dt>
        <dd>{d.study.targets.map(name).join(", ") || "–"}</dd>
        <dt>pathways</dt>
        <dd>{d.study.pathways.map(name).join(", ") || "–"}</dd>
        <dt>model</dt>
        <dd>
          {[...d.study.species, ...d.study.models].join(", ").replace(/_/g, " ") || "–"} (
          {d.study.setting.replace(/_/g, " ")})
        </dd>
      </dl>
      <h3>Claims</h3>
      <ul className="claims">
        {d.study.claims.map((c) => {
          const p = d.claim_paths.find((x) => x.claim === c.id);
          return (
            <li key={c.id} data-testid="claim">
              <span className={`dir ${c.direction}`}>{arrow(c.direction)}</span>{" "}
              <strong>{c.readout.replace(/_/g, " ")}</strong> {c.direction} {c.comparison.replace(/-/g, " ")}{" "}
              <span className="muted">“{c.text}”</span>
              <div className="path">
                {p?.path ? (
                  <>
                    network path:{" "}
                    <a
                      href={`#/network?cargo=${encodeURIComponent(p.path.nodes[0])}&node=${encodeURIComponent(p.path.effect)}`}
                    >
                      {p.path.steps
                        .map(
                          (st, i) =>
                            `${i === 0 ? (d.node_names[st.from] ?? st.from) : ""} ${st.sign > 0 ? "→" : "⊣"} ${d.node_names[st.to] ?? st.to}`,
                        )
                        .join("")}
                    </a>{" "}
                    <span className="muted">
                      (this path predicts {p.path.sign > 0 ? "an increase" : "a decrease"}
                      {c.direction === (p.path.sign > 0 ? "increase" : "decrease")
                        ? ", as claimed"
                        : ", unlike the claim"}
                      )
                    </span>
                  </>
                ) : (
                  <span className="muted">{p?.note ?? "no path"}</span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}

function arrow(direction: string): string {
  return direction === "increase" ? "▲" : direction === "decrease" ? "▼" : "●";
}
