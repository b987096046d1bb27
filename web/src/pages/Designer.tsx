import { useEffect, useMemo, useRef, useState } from "react";
import {
  ApiError,
  api,
  type DesignOptions,
  type EngineeringStep,
  type Meta,
  type Scenario,
  type SimulationResult,
} from "../api.ts";
import { PALETTE, type PlotSeries, TimeCoursePlot } from "../components/TimeCoursePlot.tsx";
import { download, toCsv } from "../lib/download.ts";
import { localSimulationAvailable, simulateLocally } from "../sim/local.ts";

/**
 * Therapy designer: pick species, injury, exosome source and engineering, route, dose and timing;
 * the server re-simulates on every change (debounced) and the plots update. Pin up to four designs
 * to compare them; export the scenario as JSON and the time courses as CSV.
 */

interface Form {
  species: string;
  injury: string;
  treated: boolean;
  source: string;
  overexpress: string;
  load: string;
  hypoxia: boolean;
  ligand: string;
  route: string;
  log10Dose: number;
  timeH: number;
  durationDays: number;
}

const DEFAULT_FORM: Form = {
  species: "rat",
  injury: "permanent-ligation",
  treated: true,
  source: "hucmsc",
  overexpress: "",
  load: "",
  hypoxia: false,
  ligand: "",
  route: "intravenous",
  log10Dose: 10,
  timeH: 0,
  durationDays: 28,
};

const DEFAULT_READOUTS = [
  "apoptosis",
  "ferroptosis",
  "pyroptosis",
  "inflammation",
  "fibrosis",
  "angiogenesis",
];
const MAX_PINNED = 4;

export function toScenario(f: Form): Scenario {
  const engineering: EngineeringStep[] = [];
  if (f.overexpress) engineering.push({ kind: "overexpress", gene: f.overexpress });
  if (f.load) engineering.push({ kind: "load", molecule: f.load });
  if (f.hypoxia) engineering.push({ kind: "precondition", condition: "hypoxia" });
  if (f.ligand) engineering.push({ kind: "surface", ligand: f.ligand });
  return {
    species: f.species,
    injury: f.injury,
    therapy: f.treated
      ? {
          source: f.source,
          engineering,
          route: f.route,
          dose_particles: Number((10 ** f.log10Dose).toPrecision(3)),
          time_h: f.timeH,
        }
      : null,
    duration_h: f.durationDays * 24,
  };
}

function describe(f: Form): string {
  if (!f.treated) return `untreated ${f.injury}`;
  const eng = [
    f.overexpress && `${f.overexpress}↑`,
    f.load && `+${f.load}`,
    f.hypoxia && "hypoxia",
    f.ligand,
  ].filter(Boolean);
  return `${f.source}${eng.length ? ` (${eng.join(", ")})` : ""} ${f.route} 1e${f.log10Dose.toFixed(1)} @${f.timeH} h`;
}

interface Pinned {
  label: string;
  scenario: Scenario;
  result: SimulationResult;
}

export function DesignerPage(_props: { params: URLSearchParams }) {
  const [meta, setMeta] = useState<Meta | null>(null);
  const [options, setOptions] = useState<DesignOptions | null>(null);
  const [form, setForm] = useState<Form>(DEFAULT_FORM);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const [latency, setLatency] = useState<{
    roundTrip: number;
    compute: number;
    where: "browser" | "server";
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>(DEFAULT_READOUTS);
  const [pinned, setPinned] = useState<Pinned[]>([]);
  const [compareReadout, setCompareReadout] = useState("ferroptosis");
  const runs = useRef(0);

  useEffect(() => {
    api<Meta>("/api/meta").then(setMeta, (e) => setError(String(e)));
    api<DesignOptions>("/api/designs/options").then(setOptions, (e) => setError(String(e)));
  }, []);

  const scenario = useMemo(() => toScenario(form), [form]);

  // re-simulate on every change; a newer request aborts the one in flight
  useEffect(() => {
    const ctl = new AbortController();
    const t = setTimeout(async () => {
      setBusy(true);
      const t0 = performance.now();
      try {
        // the simulator runs in a Web Worker in the browser; the server is the fallback
        let where: "browser" | "server" = "browser";
        let r: SimulationResult;
        try {
          if (!localSimulationAvailable()) throw new Error("no Web Worker");
          r = await simulateLocally(scenario);
        } catch (localError) {
          if (ctl.signal.aborted) return;
          if (!(localError instanceof Error) || !/no Web Worker|worker failed/.test(localError.message)) {
            throw localError;
          }
          where = "server";
          r = await api<SimulationResult>("/api/simulate", { body: { scenario }, signal: ctl.signal });
        }
        if (ctl.signal.aborted) return;
        setResult(r);
        setLatency({ roundTrip: performance.now() - t0, compute: r.compute_ms, where });
        setError(null);
        runs.current += 1;
      } catch (e) {
        if (e instanceof ApiError) setError(`${e.message}${e.body.field ? ` [${e.body.field}]` : ""}`);
        else if ((e as Error).name !== "AbortError") setError(String(e));
      } finally {
        if (!ctl.signal.aborted) setBusy(false);
      }
    }, 120);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [scenario]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const effects = (meta?.readouts ?? []).filter((r) => r.kind !== "derived");
  const derived = (meta?.readouts ?? []).filter((r) => r.kind === "derived");

  const effectSeries: PlotSeries[] = useMemo(() => {
    if (!result) return [];
    return selected
      .filter((id) => result.series[id])
      .map((id, i) => ({
        label: labelOf(result, id),
        values: result.series[id],
        color: PALETTE[i % PALETTE.length],
      }));
  }, [result, selected]);

  const compareSeries: PlotSeries[] = useMemo(() => {
    if (!result?.series[compareReadout]) return [];
    const current = { label: "current design", values: result.series[compareReadout], color: "#000" };
    // pinned designs may have another time grid; plot them resampled on the current one
    const others = pinned.map((p, i) => ({
      label: p.label,
      values: resample(p.result.times, p.result.series[compareReadout] ?? [], result.times),
      color: PALETTE[(i + 1) % PALETTE.length],
      dash: [6, 4],
    }));
    return [current, ...others];
  }, [result, pinned, compareReadout]);

  const exportCsv = () => {
    if (!result) return;
    const ids = result.readouts.map((r) => r.id);
    const header = [
      "time_h",
      "time_days",
      ...ids.map((id) => `${id} [${result.readouts.find((r) => r.id === id)?.unit}]`),
    ];
    const rows = result.times.map((t, k) => [
      t,
      +(t / 24).toFixed(4),
      ...ids.map((id) => +result.series[id][k].toFixed(6)),
    ]);
    download("exomi-simulation.csv", toCsv(header, rows), "text/csv");
  };

  return (
    <div className="designer">
      <section className="controls" data-testid="designer-controls">
        <h1>Designer</h1>
        <Select
          label="species"
          value={form.species}
          options={meta?.species ?? []}
          onChange={(v) => set("species", v)}
        />
        <Select
          label="injury"
          value={form.injury}
          options={meta?.injuries ?? []}
          onChange={(v) => set("injury", v)}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={form.treated}
            onChange={(e) => set("treated", e.target.checked)}
            data-testid="treated"
          />{" "}
          exosome therapy
        </label>
        <fieldset disabled={!form.treated}>
          <Select
            label="source"
            value={form.source}
            options={(options?.sources ?? []).map((s) => s.id)}
            onChange={(v) => set("source", v)}
          />
          <Select
            label="overexpress"
            value={form.overexpress}
            options={["", ...(options?.overexpress ?? [])]}
            onChange={(v) => set("overexpress", v)}
          />
          <Select
            label="load molecule"
            value={form.load}
            options={["", ...(options?.load ?? []).map((s) => s.name)]}
            onChange={(v) => set("load", v)}
            testId="load"
          />
          <label className="check">
            <input
              type="checkbox"
              checked={form.hypoxia}
              onChange={(e) => set("hypoxia", e.target.checked)}
            />{" "}
            hypoxic preconditioning
          </label>
          <Select
            label="surface ligand"
            value={form.ligand}
            options={["", ...(meta?.ligands ?? []).map((l) => l.id)]}
            onChange={(v) => set("ligand", v)}
          />
          <Select
            label="route"
            value={form.route}
            options={(meta?.routes ?? []).map((r) => r.id)}
            onChange={(v) => set("route", v)}
            testId="route"
          />
          <label>
            dose: {(10 ** form.log10Dose).toExponential(1)} particles
            <input
              type="range"
              min={8}
              max={12}
              step={0.1}
              value={form.log10Dose}
              onChange={(e) => set("log10Dose", Number(e.target.value))}
              data-testid="dose"
            />
          </label>
          <label>
            dose time after injury (h)
            <input
              type="number"
              min={0}
              max={form.durationDays * 24}
              value={form.timeH}
              onChange={(e) => set("timeH", Math.max(0, Number(e.target.value)))}
              data-testid="dose-time"
            />
          </label>
        </fieldset>
        <Select
          label="simulated span (days)"
          value={String(form.durationDays)}
          options={["7", "14", "28", "56", "90"]}
          onChange={(v) => set("durationDays", Number(v))}
        />
        <div className="buttons">
          <button type="button" onClick={() => setForm(DEFAULT_FORM)}>
            reset
          </button>
          <button
            type="button"
            onClick={() =>
              download("exomi-scenario.json", `${JSON.stringify(scenario, null, 2)}\n`, "application/json")
            }
            data-testid="export-json"
          >
            export scenario JSON
          </button>
          <button type="button" onClick={exportCsv} disabled={!result} data-testid="export-csv">
            export CSV
          </button>
        </div>
      </section>

      <section className="grow">
        <div className="status" data-testid="sim-status">
          {busy ? "simulating…" : result ? "up to date" : "…"}
          {latency && (
            <span className="muted" data-testid="latency">
              {" "}
              · {latency.where === "browser" ? "re-simulated" : "round trip"} {latency.roundTrip.toFixed(0)}{" "}
              ms (simulation {latency.compute.toFixed(0)} ms{" "}
              {latency.where === "browser" ? "in a Web Worker" : "on the server"})
            </span>
          )}
          <span className="muted" data-testid="run-count" data-runs={runs.current}>
            {" "}
            · {describe(form)}
          </span>
        </div>
        {error && (
          <p className="error" data-testid="sim-error">
            {error}
          </p>
        )}
        <div className="readout-picker">
          {effects.map((r) => (
            <label key={r.id} className="check">
              <input
                type="checkbox"
                checked={selected.includes(r.id)}
                onChange={(e) =>
                  setSelected((s) => (e.target.checked ? [...s, r.id] : s.filter((x) => x !== r.id)))
                }
              />{" "}
              {r.name}
            </label>
          ))}
        </div>
        {result && (
          <TimeCoursePlot
            title="Therapeutic effects"
            timesH={result.times}
            series={effectSeries}
            yLabel="activity (0–1, normalized)"
            testId="effects-plot"
          />
        )}
        {result && derived.length > 0 && (
          <>
            <h2>Tissue and delivery readouts</h2>
            <div className="tissue-grid" data-testid="tissue-plots">
              {derived
                .filter((r) => result.series[r.id])
                .map((r, i) => (
                  <TimeCoursePlot
                    key={r.id}
                    title={r.name}
                    timesH={result.times}
                    series={[
                      { label: r.name, values: result.series[r.id], color: PALETTE[i % PALETTE.length] },
                    ]}
                    yLabel={r.unit}
                    height={200}
                  />
                ))}
            </div>
          </>
        )}

        <h2>Compare designs</h2>
        <div className="toolbar">
          <button
            type="button"
            disabled={!result || pinned.length >= MAX_PINNED}
            onClick={() => result && setPinned((p) => [...p, { label: describe(form), scenario, result }])}
            data-testid="pin"
          >
            pin current design ({pinned.length}/{MAX_PINNED})
          </button>
          <Select
            label="readout"
            value={compareReadout}
            options={(meta?.readouts ?? []).map((r) => r.id)}
            onChange={setCompareReadout}
          />
        </div>
        {pinned.length > 0 && result && (
          <>
            <TimeCoursePlot
              title={`${compareReadout.replace(/_/g, " ")}: current vs pinned designs`}
              timesH={result.times}
              series={compareSeries}
              yLabel={result.readouts.find((r) => r.id === compareReadout)?.unit ?? ""}
              height={260}
              testId="compare-plot"
            />
            <CompareTable
              current={result}
              pinned={pinned}
              readouts={selected}
              onRemove={(i) => setPinned((p) => p.filter((_, j) => j !== i))}
            />
          </>
        )}
      </section>
    </div>
  );
}

function CompareTable(props: {
  current: SimulationResult;
  pinned: Pinned[];
  readouts: string[];
  onRemove: (i: number) => void;
}) {
  const day = (r: SimulationResult) => r.times[r.times.length - 1] / 24;
  const rows = [
    { label: "current design", result: props.current },
    ...props.pinned.map((p) => ({ label: p.label, result: p.result })),
  ];
  return (
    <table className="data compact" data-testid="compare-table">
      <thead>
        <tr>
          <th>design</th>
          <th>at day</th>
          {props.readouts.map((id) => (
            <th key={id}>{id.replace(/_/g, " ")}</th>
          ))}
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional (current, then pinned in order) and labels may repeat
          <tr key={i}>
            <td>{row.label}</td>
            <td>{day(row.result).toFixed(0)}</td>
            {props.readouts.map((id) => {
              const s = row.result.series[id];
              return <td key={id}>{s ? s[s.length - 1].toFixed(3) : "–"}</td>;
            })}
            <td>
              {i > 0 && (
                <button type="button" onClick={() => props.onRemove(i - 1)}>
                  remove
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Select(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
  testId?: string;
}) {
  return (
    <label>
      {props.label}
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId ?? `select-${props.label}`}
      >
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o === "" ? "— none —" : o}
          </option>
        ))}
      </select>
    </label>
  );
}

function labelOf(r: SimulationResult, id: string): string {
  return r.readouts.find((x) => x.id === id)?.name ?? id;
}

/** Linear interpolation of (t, v) onto new times; beyond the last time there is no value (a gap). */
function resample(t: number[], v: number[], at: number[]): (number | null)[] {
  let k = 0;
  return at.map((x) => {
    if (t.length === 0 || x > t[t.length - 1]) return null;
    while (k < t.length - 2 && t[k + 1] < x) k++;
    if (x <= t[0]) return v[0];
    const a = (x - t[k]) / (t[k + 1] - t[k] || 1);
    return v[k] * (1 - a) + v[k + 1] * a;
  });
}
