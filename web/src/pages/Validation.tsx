import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, api, type Job, waitForJob } from "../api.ts";

/** The agreement table of `exomi validate`: each claim of the review vs the model's prediction. */

interface Row {
  id: string;
  claim: string;
  reference: string;
  study?: string;
  readout: string;
  time_h: number;
  expect: string;
  predicted: string;
  baseline: number;
  scenario: number;
  rel_change: number;
  agree: boolean;
}

interface Report {
  threshold: number;
  agree: number;
  total: number;
  percent: number;
  rows: Row[];
  out_of_scope: { id: string; claim: string; reference: string; reason: string }[];
}

export function ValidationPage(_props: { params: URLSearchParams }) {
  const [report, setReport] = useState<Report | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [agreeFilter, setAgreeFilter] = useState<"all" | "agree" | "disagree">("all");
  const [readout, setReadout] = useState("");

  const run = useCallback(async () => {
    setError(null);
    try {
      const j = await api<Job>("/api/validation", { body: {} });
      const done = await waitForJob<Report>(j.id, setJob);
      if (done.status === "done" && done.result) setReport(done.result);
      else setError(done.error?.error ?? `validation ${done.status}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    api<{ report: Report }>("/api/validation/latest").then(
      (r) => setReport(r.report),
      () => void run(),
    );
  }, [run]);

  const rows = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return (report?.rows ?? []).filter(
      (r) =>
        (agreeFilter === "all" || (agreeFilter === "agree") === r.agree) &&
        (!readout || r.readout === readout) &&
        words.every((w) =>
          `${r.id} ${r.claim} ${r.reference} ${r.study ?? ""} ${r.readout}`.toLowerCase().includes(w),
        ),
    );
  }, [report, search, agreeFilter, readout]);
  const readouts = [...new Set((report?.rows ?? []).map((r) => r.readout))].sort();
  const running = job && (job.status === "queued" || job.status === "running");

  return (
    <section>
      <h1>Validation</h1>
      <p className="muted">
        Each claim of the review is a scenario compared with its baseline at one readout and time; a relative
        change beyond the threshold counts as an increase or decrease.
      </p>
      <div className="toolbar">
        <button type="button" onClick={() => void run()} disabled={!!running} data-testid="run-validation">
          {running ? "running…" : "re-run validation"}
        </button>
        {running && job && (
          <progress
            max={job.progress.total || 1}
            value={job.progress.done}
            data-testid="validation-progress"
          />
        )}
        {report && (
          <strong data-testid="validation-summary">
            {report.agree} of {report.total} claims agree ({report.percent.toFixed(0)}%), threshold{" "}
            {(report.threshold * 100).toFixed(0)}%
          </strong>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {report && (
        <>
          <div className="toolbar">
            <input
              type="search"
              placeholder="search claims"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <select
              value={agreeFilter}
              onChange={(e) => setAgreeFilter(e.target.value as typeof agreeFilter)}
              data-testid="agree-filter"
            >
              <option value="all">all</option>
              <option value="agree">agree</option>
              <option value="disagree">disagree</option>
            </select>
            <select value={readout} onChange={(e) => setReadout(e.target.value)}>
              <option value="">all readouts</option>
              {readouts.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            <span className="count">{rows.length} shown</span>
          </div>
          <div className="table-wrap">
            <table className="data" data-testid="validation-table">
              <thead>
                <tr>
                  <th>case</th>
                  <th>claim</th>
                  <th>reference</th>
                  <th>readout</th>
                  <th>time (h)</th>
                  <th>expected</th>
                  <th>predicted</th>
                  <th>baseline</th>
                  <th>scenario</th>
                  <th>change</th>
                  <th>agree</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className={r.agree ? "ok" : "bad"}>
                    <td className="mono">{r.id}</td>
                    <td className="wide">{r.claim}</td>
                    <td>{r.reference}</td>
                    <td>{r.readout}</td>
                    <td>{r.time_h}</td>
                    <td>{r.expect}</td>
                    <td>{r.predicted}</td>
                    <td>{r.baseline.toFixed(3)}</td>
                    <td>{r.scenario.toFixed(3)}</td>
                    <td>{(r.rel_change * 100).toFixed(1)}%</td>
                    <td>{r.agree ? "✓" : "✗"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.out_of_scope.length > 0 && (
            <>
              <h2>Out of scope ({report.out_of_scope.length})</h2>
              <ul>
                {report.out_of_scope.map((c) => (
                  <li key={c.id}>
                    <span className="mono">{c.id}</span> {c.claim}{" "}
                    <span className="muted">
                      ({c.reference}): {c.reason}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
