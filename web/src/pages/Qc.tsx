import { useEffect, useState } from "react";
import { ApiError, api } from "../api.ts";
import { ControlChart, type ControlChartData } from "../components/ControlChart.tsx";

/** QC batches from the store: MISEV2023 verdict, release decision; a batch's report on click. */

interface BatchRow {
  id: string;
  version: number;
  method: string;
  date?: string;
  donor: string;
  particles_per_ml: number | null;
  misev: string;
  release: string;
}

interface Requirement {
  id: string;
  requirement: string;
  verdict: string;
  detail: string;
}

interface Criterion {
  id: string;
  description: string;
  acceptance: string;
  value: unknown;
  verdict: string;
  required: boolean;
}

interface BatchDetail {
  version: number;
  created_at: string;
  created_by: string;
  misev: { guideline: string; verdict: string; requirements: Requirement[] };
  release: { spec: string; version: string; decision: string; results: Criterion[] };
}

export function QcPage(_props: { params: URLSearchParams }) {
  const [rows, setRows] = useState<BatchRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<BatchDetail | null>(null);
  const [trends, setTrends] = useState<ControlChartData[] | null>(null);

  useEffect(() => {
    api<BatchRow[]>("/api/qc/batches").then(setRows, (e) =>
      setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, []);
  useEffect(() => {
    api<ControlChartData[]>("/api/qc/trends").then(setTrends, () => setTrends(null));
  }, []);
  useEffect(() => {
    setDetail(null);
    if (selected)
      api<BatchDetail>(`/api/qc/batches/${encodeURIComponent(selected)}`).then(setDetail, () =>
        setDetail(null),
      );
  }, [selected]);

  return (
    <section>
      <h1>QC batches</h1>
      <p className="muted">
        Batch records in the database (add them with <code>exomi qc batch create</code> or{" "}
        <code>POST /api/qc/batches</code>), checked against MISEV2023 minimal characterization and the release
        specification.
      </p>
      {error && <p className="error">{error}</p>}
      {rows && rows.length === 0 && <p data-testid="qc-empty">No batches yet.</p>}
      {rows && rows.length > 0 && (
        <table className="data" data-testid="qc-table">
          <thead>
            <tr>
              <th>batch</th>
              <th>version</th>
              <th>isolation</th>
              <th>date</th>
              <th>donor</th>
              <th>particles/mL</th>
              <th>MISEV2023</th>
              <th>release</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((b) => (
              <tr
                key={b.id}
                onClick={() => setSelected(b.id)}
                className={b.id === selected ? "selected" : ""}
              >
                <td className="mono">{b.id}</td>
                <td>{b.version}</td>
                <td>{b.method}</td>
                <td>{b.date ?? "–"}</td>
                <td>{b.donor}</td>
                <td>{b.particles_per_ml === null ? "–" : b.particles_per_ml.toExponential(2)}</td>
                <td className={`verdict ${b.misev}`}>{b.misev}</td>
                <td className={`verdict ${b.release}`}>{b.release}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {trends?.some((c) => c.points.length > 1) && (
        <>
          <h2>Batch-to-batch consistency</h2>
          <div className="cards" data-testid="qc-trends">
            {trends
              .filter((c) => c.points.length > 1)
              .map((c) => (
                <ControlChart key={c.metric} chart={c} />
              ))}
          </div>
        </>
      )}
      {detail && selected && (
        <p>
          Certificate of analysis for <span className="mono">{selected}</span>:{" "}
          <a
            href={`/api/qc/batches/${encodeURIComponent(selected)}/coa.html`}
            target="_blank"
            rel="noreferrer"
          >
            HTML
          </a>{" "}
          ·{" "}
          <a href={`/api/qc/batches/${encodeURIComponent(selected)}/coa.pdf`} data-testid="coa-pdf">
            PDF
          </a>
        </p>
      )}
      {detail && selected && (
        <div className="cards">
          <div>
            <h2>
              {detail.misev.guideline}: {detail.misev.verdict}
            </h2>
            <table className="data compact">
              <tbody>
                {detail.misev.requirements.map((r) => (
                  <tr key={r.id}>
                    <td>{r.requirement}</td>
                    <td className={`verdict ${r.verdict}`}>{r.verdict}</td>
                    <td className="muted">{r.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <h2>
              Release ({detail.release.spec} v{detail.release.version}): {detail.release.decision}
            </h2>
            <table className="data compact">
              <tbody>
                {detail.release.results.map((r) => (
                  <tr key={r.id}>
                    <td>{r.description}</td>
                    <td>{r.acceptance}</td>
                    <td>{r.value === null || r.value === undefined ? "–" : String(r.value)}</td>
                    <td className={`verdict ${r.verdict}`}>{r.verdict}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
