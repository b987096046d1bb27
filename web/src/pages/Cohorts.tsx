import { useEffect, useState } from "react";
import { ApiError, api, type Job, waitForJob } from "../api.ts";

/** Virtual cohorts (treated vs untreated, medians and 90% intervals) and the calibration report. */

interface Summary {
  median: number;
  p5: number;
  p95: number;
}
interface CohortReport {
  n: number;
  seed: number;
  at_h: number;
  summaries: { readout: string; untreated: Summary; treated: Summary; difference: Summary }[];
}
interface CalibrationRow {
  id: string;
  description: string;
  readout: string;
  kind: string;
  target: number;
  model: number;
  accept: [number, number];
  pass: boolean;
  /** the target's observation model (mean ± sd), when it has one (bound targets do not) */
  observed: { mean: number; sd: number } | null;
  /** the posterior predictive view (data/posterior.json), null without a posterior */
  posterior: {
    median: number;
    lo: number;
    hi: number;
    z: number;
    inside: boolean;
    reason: string | null;
  } | null;
}
interface RankedDesign {
  therapy: {
    route: string;
    engineering: Array<Record<string, string>>;
    dose_particles: number;
    time_h: number;
    doses?: unknown[];
  };
  score: number;
  outcome: Summary;
  costPerDoseUsd: number;
  totalCostUsd: number;
  doses: number;
  evidence: { component: string; references: string[] }[];
}
interface OptimizeReport {
  objective: string;
  at: number;
  evaluated: number;
  infeasible: number;
  designs: RankedDesign[];
}
interface DesignInfo {
  id: string;
  name: string;
  therapy: unknown;
}

const fmt = (v: number) =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
const iv = (s: Summary) => `${fmt(s.median)} [${fmt(s.p5)}, ${fmt(s.p95)}]`;

export function CohortsPage(_props: { params: URLSearchParams }) {
  const [designs, setDesigns] = useState<DesignInfo[]>([]);
  const [design, setDesign] = useState("native");
  const [species, setSpecies] = useState("rat");
  const [injury, setInjury] = useState("permanent-ligation");
  const [n, setN] = useState(40);
  const [seed, setSeed] = useState(1);
  const [days, setDays] = useState(28);
  const [job, setJob] = useState<Job | null>(null);
  const [report, setReport] = useState<CohortReport | null>(null);
  const [calibration, setCalibration] = useState<CalibrationRow[] | null>(null);
  const [objective, setObjective] = useState("lvef");
  const [budget, setBudget] = useState(24);
  const [maxCost, setMaxCost] = useState(20000);
  const [optimized, setOptimized] = useState<OptimizeReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<DesignInfo[]>("/api/designs").then(setDesigns, (e) => setError(String(e)));
  }, []);

  const runJob = async <T,>(path: string, body: unknown, done: (r: T) => void) => {
    setError(null);
    try {
      const j = await api<Job>(path, { body });
      const fin = await waitForJob<T>(j.id, setJob);
      if (fin.status === "done" && fin.result) done(fin.result);
      else setError(fin.error?.error ?? `job ${fin.status}`);
    } catch (e) {
      setError(e instanceof ApiError ? `${e.message}${e.body.field ? ` [${e.body.field}]` : ""}` : String(e));
    }
  };

  const runCohort = () => {
    const d = designs.find((x) => x.id === design);
    const scenario = {
      species,
      injury,
      therapy: d?.therapy ?? { route: "intravenous" },
      duration_h: days * 24,
    };
    void runJob<CohortReport>(
      "/api/cohort",
      {
        scenario,
        n,
        seed,
        readouts: [
          "infarct_size",
          "lvef",
          "fractional_shortening",
          "lvedd",
          "capillary_density",
          "collagen_fraction",
        ],
      },
      setReport,
    );
  };
  const running = job && (job.status === "queued" || job.status === "running");

  return (
    <section>
      <h1>Virtual cohorts</h1>
      <p className="muted">
        Inter-animal variability, parameter uncertainty (documented ranges) and batch-to-batch variability
        (20–30%, review §5.6): each member is simulated untreated and treated. Larger cohorts:{" "}
        <code>exomi cohort --n 10000</code>.
      </p>
      <div className="toolbar">
        <label>
          design{" "}
          <select value={design} onChange={(e) => setDesign(e.target.value)} data-testid="cohort-design">
            {designs.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          species{" "}
          <select value={species} onChange={(e) => setSpecies(e.target.value)}>
            <option>rat</option>
            <option>mouse</option>
          </select>
        </label>
        <label>
          injury{" "}
          <select value={injury} onChange={(e) => setInjury(e.target.value)}>
            <option>permanent-ligation</option>
            <option>ischemia-reperfusion</option>
          </select>
        </label>
        <label>
          n <input type="number" min={1} max={400} value={n} onChange={(e) => setN(Number(e.target.value))} />
        </label>
        <label>
          seed <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
        <label>
          day{" "}
          <input
            type="number"
            min={1}
            max={90}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </label>
        <button type="button" onClick={runCohort} disabled={!!running} data-testid="run-cohort">
          {running && job?.kind === "cohort"
            ? `running… ${job.progress.done}/${job.progress.total}`
            : "run cohort"}
        </button>
        <button
          type="button"
          disabled={!!running}
          onClick={() => void runJob<CalibrationRow[]>("/api/calibration", {}, setCalibration)}
        >
          {running && job?.kind === "calibration" ? "calibrating…" : "calibration report"}
        </button>
      </div>
      <h2>Design optimizer</h2>
      <p className="muted">
        A genetic algorithm searches engineering, route, dose, timing and repeat dosing for the best robust
        outcome at day 28 under a cost-of-goods limit (manufacturing module). CLI: <code>exomi optimize</code>
        .
      </p>
      <div className="toolbar">
        <label>
          objective{" "}
          <select
            value={objective}
            onChange={(e) => setObjective(e.target.value)}
            data-testid="opt-objective"
          >
            <option value="lvef">maximize LVEF</option>
            <option value="infarct_size">minimize infarct size</option>
            <option value="capillary_density">maximize capillary density</option>
          </select>
        </label>
        <label>
          candidates{" "}
          <input
            type="number"
            min={2}
            max={120}
            value={budget}
            onChange={(e) => setBudget(Number(e.target.value))}
          />
        </label>
        <label>
          max cost per dose (USD){" "}
          <input
            type="number"
            min={100}
            value={maxCost}
            onChange={(e) => setMaxCost(Number(e.target.value))}
          />
        </label>
        <button
          type="button"
          disabled={!!running}
          data-testid="run-optimize"
          onClick={() =>
            void runJob<OptimizeReport>(
              "/api/optimize",
              {
                objective,
                direction: objective === "infarct_size" ? "min" : "max",
                budget,
                max_cost_per_dose_usd: maxCost,
                species,
                injury,
              },
              setOptimized,
            )
          }
        >
          {running && job?.kind === "optimize"
            ? `optimizing… ${job.progress.done}/${job.progress.total}`
            : "optimize"}
        </button>
      </div>
      {optimized && (
        <table className="data" data-testid="optimize-table">
          <caption>
            {optimized.evaluated} candidates evaluated ({optimized.infeasible} over the cost limit);{" "}
            {optimized.objective} at day {optimized.at / 24}: median [5%, 95%]
          </caption>
          <thead>
            <tr>
              <th>#</th>
              <th>route</th>
              <th>engineering</th>
              <th>dose (particles) × doses</th>
              <th>outcome</th>
              <th>cost/dose (USD)</th>
              <th>evidence</th>
            </tr>
          </thead>
          <tbody>
            {optimized.designs.map((d, i) => (
              <tr key={JSON.stringify(d.therapy)}>
                <td>{i + 1}</td>
                <td>{d.therapy.route}</td>
                <td>{d.therapy.engineering.map((e) => Object.values(e).join(" ")).join(", ") || "native"}</td>
                <td>
                  {d.therapy.dose_particles.toExponential(1)} × {d.doses}
                </td>
                <td>{iv(d.outcome)}</td>
                <td>{Math.round(d.costPerDoseUsd).toLocaleString()}</td>
                <td className="muted">
                  {d.evidence
                    .map((e) => `${e.component}: ${e.references.slice(0, 2).join("; ")}`)
                    .join(" | ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p className="error">{error}</p>}
      {report && (
        <table className="data" data-testid="cohort-table">
          <caption>
            n = {report.n}, seed {report.seed}, day {report.at_h / 24}: median [5%, 95%]
          </caption>
          <thead>
            <tr>
              <th>readout</th>
              <th>untreated</th>
              <th>treated</th>
              <th>difference (paired)</th>
            </tr>
          </thead>
          <tbody>
            {report.summaries.map((s) => (
              <tr key={s.readout}>
                <td>{s.readout.replace(/_/g, " ")}</td>
                <td>{iv(s.untreated)}</td>
                <td>{iv(s.treated)}</td>
                <td>{iv(s.difference)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {calibration && (
        <table className="data" data-testid="calibration-table">
          <caption>
            Calibration: {calibration.filter((r) => r.pass).length}/{calibration.length} targets met at the
            nominal values
            {calibration.some((r) => r.posterior) &&
              `; ${calibration.filter((r) => r.posterior?.inside).length}/${calibration.length} inside the posterior's 90% predictive interval, ${calibration.filter((r) => r.posterior && !r.posterior.inside && r.posterior.reason).length} known misses with a recorded reason`}
          </caption>
          <thead>
            <tr>
              <th>target</th>
              <th>readout</th>
              <th>kind</th>
              <th>observed</th>
              <th>model (nominal)</th>
              <th>accepted range</th>
              <th>met</th>
              <th>posterior median [90% predictive]</th>
              <th>z</th>
            </tr>
          </thead>
          <tbody>
            {calibration.map((r) => (
              <tr
                key={r.id}
                className={
                  (r.posterior ? r.posterior.inside || r.posterior.reason : r.pass) ? "" : "disagree"
                }
                title={r.posterior?.reason ?? undefined}
              >
                <td>{r.description}</td>
                <td>{r.readout}</td>
                <td>{r.kind}</td>
                <td>{r.observed ? `${fmt(r.observed.mean)} ± ${fmt(r.observed.sd)}` : fmt(r.target)}</td>
                <td>{fmt(r.model)}</td>
                <td>
                  [{fmt(r.accept[0])}, {fmt(r.accept[1])}]
                </td>
                <td>{r.pass ? "yes" : "missed"}</td>
                <td>
                  {r.posterior
                    ? `${fmt(r.posterior.median)} [${fmt(r.posterior.lo)}, ${fmt(r.posterior.hi)}]${r.posterior.inside ? "" : r.posterior.reason ? " (known miss)" : " (miss)"}`
                    : "—"}
                </td>
                <td>{r.posterior ? fmt(r.posterior.z) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
