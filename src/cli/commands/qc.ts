import { readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { extname } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { particlesPerMl } from "../../manufacturing/batch.ts";
import { coaContent, coaHtml, formatValue, writeCoaPdf } from "../../manufacturing/coa.ts";
import { importSizeFile } from "../../manufacturing/import/index.ts";
import { checkMisev2023 } from "../../manufacturing/misev.ts";
import { purityRatio } from "../../manufacturing/purity.ts";
import { evaluateRelease, loadReleaseSpec } from "../../manufacturing/release-spec.ts";
import { Instrument } from "../../manufacturing/size-distribution.ts";
import { sci, textTable } from "../../manufacturing/text-table.ts";
import { trendReport } from "../../manufacturing/trend.ts";
import { verifyAudit } from "../../store/audit.ts";
import {
  auditTrail,
  createBatch,
  listBatches,
  parseFieldValue,
  recordSizeImport,
  requireBatch,
  setBatchField,
} from "../../store/batches.ts";
import { openStore, type Store } from "../../store/db.ts";
import { InputError } from "../errors.ts";

function defaultUser(): string {
  if (process.env.EXOMI_USER) return process.env.EXOMI_USER;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function readRecordFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError("file", file, [], "cannot read file");
  }
  try {
    return extname(file).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError(
      "file",
      file,
      [],
      `not valid YAML/JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

const positive = (field: string) => (raw: string) => {
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new InputError(field, raw, [], "must be a positive number");
  return v;
};

/** `exomi qc …`: batch records, instrument import, MISEV and release checks, trends, CoA, audit. */
export function register(program: Command): void {
  const qc = program
    .command("qc")
    .description(
      "batch quality control: records, NTA import, MISEV2023 and release checks, trends, CoA, audit trail\n" +
        "database: EXOMI_DATABASE_URL (sqlite:/path.db or postgres://…), default a file in the user data dir",
    );

  qc.command("import")
    .description(
      "import a NanoSight ExperimentSummary.csv, ZetaView .txt or plain CSV size distribution into a batch",
    )
    .argument("<file>", "instrument export")
    .requiredOption("--batch <id>", "batch id (create it first with `exomi qc batch create`)")
    .option("--format <format>", `force the format: ${Instrument.options.join(", ")}`)
    .option(
      "--dilution <factor>",
      "dilution of the measured sample, when the file does not record it",
      positive("dilution"),
    )
    .option("--user <name>", "who imports (default: EXOMI_USER or the login name)")
    .option("--reason <text>", "why (default: 'import <file>')")
    .option("--json", "print JSON")
    .action(
      async (
        file: string,
        opts: {
          batch: string;
          format?: string;
          dilution?: number;
          user?: string;
          reason?: string;
          json?: boolean;
        },
      ) => {
        if (opts.format !== undefined && !Instrument.options.includes(opts.format as Instrument)) {
          throw new InputError("format", opts.format, Instrument.options);
        }
        // parse and validate everything before touching the database: nothing partial is stored
        const dist = importSizeFile(file, {
          format: opts.format as Instrument | undefined,
          dilution: opts.dilution,
        });
        const stored = await withStore((store) =>
          recordSizeImport(store, opts.batch, dist, {
            actor: opts.user ?? defaultUser(),
            reason: opts.reason ?? `import ${dist.sourceFile}`,
          }),
        );
        if (opts.json) {
          console.log(
            JSON.stringify(
              { batch: opts.batch, version: stored.version, ...dist, bins: dist.bins.length },
              null,
              2,
            ),
          );
          return;
        }
        const s = dist.summary;
        console.log(
          `imported ${dist.instrument} ${dist.sourceFile} into ${opts.batch} (version ${stored.version})`,
        );
        console.log(
          textTable(
            ["quantity", "value"],
            [
              ["bins", String(dist.bins.length)],
              ["dilution", `${dist.dilutionFactor} (${dist.dilutionSource})`],
              [
                "concentration",
                s.concentrationPerMl === null ? "relative only" : `${sci(s.concentrationPerMl)} particles/mL`,
              ],
              ["mode", `${s.modeNm.toFixed(1)} nm`],
              ["mean ± SD", `${s.meanNm.toFixed(1)} ± ${s.sdNm.toFixed(1)} nm`],
              ["D10/D50/D90", `${s.d10Nm.toFixed(1)} / ${s.d50Nm.toFixed(1)} / ${s.d90Nm.toFixed(1)} nm`],
              ["span", s.span.toFixed(2)],
              ["40–200 nm", `${(s.fraction40to200 * 100).toFixed(1)} %`],
            ],
          ),
        );
        for (const w of dist.warnings) console.log(`warning: ${w}`);
      },
    );

  const batch = qc.command("batch").description("create, edit (by superseding) and show batch records");
  batch
    .command("create")
    .description("create a batch from a YAML or JSON record (schema: src/manufacturing/batch.ts)")
    .requiredOption("--file <file>", "batch record, YAML or JSON")
    .option("--id <id>", "batch id (overrides the file's id)")
    .option("--user <name>", "who creates it")
    .option("--reason <text>", "why", "batch record created")
    .action(async (opts: { file: string; id?: string; user?: string; reason: string }) => {
      const raw = readRecordFile(opts.file);
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new InputError("file", opts.file, [], "must hold one batch record (a mapping)");
      }
      const input = { ...(raw as Record<string, unknown>), ...(opts.id ? { id: opts.id } : {}) };
      const stored = await withStore((store) =>
        createBatch(store, input as never, { actor: opts.user ?? defaultUser(), reason: opts.reason }),
      );
      console.log(
        `created batch ${stored.record.id} (version 1, sha256 ${stored.recordSha256.slice(0, 12)}…)`,
      );
    });

  batch
    .command("set")
    .description(
      "supersede a batch with changed fields, e.g. endotoxinEuPerMl=0.1 markers.CD63=positive (null removes)",
    )
    .argument("<id>", "batch id")
    .argument("<assignments...>", "field=value pairs (dotted paths)")
    .requiredOption("--reason <text>", "why the value changes (recorded in the audit trail)")
    .option("--user <name>", "who changes it")
    .action(async (id: string, assignments: string[], opts: { reason: string; user?: string }) => {
      const pairs = assignments.map((a) => {
        const eq = a.indexOf("=");
        if (eq <= 0) throw new InputError("assignment", a, [], "use field=value");
        return [a.slice(0, eq), parseFieldValue(a.slice(eq + 1))] as const;
      });
      await withStore(async (store) => {
        for (const [field, value] of pairs) {
          const s = await setBatchField(store, id, field, value, {
            actor: opts.user ?? defaultUser(),
            reason: opts.reason,
          });
          console.log(`${id}: ${field} = ${JSON.stringify(value)} (version ${s.version})`);
        }
      });
    });

  batch
    .command("show")
    .description("show the current record of a batch, or its history")
    .argument("<id>", "batch id")
    .option("--history", "list every version with who, when and why")
    .option("--json", "print the record as JSON")
    .action(async (id: string, opts: { history?: boolean; json?: boolean }) => {
      await withStore(async (store) => {
        const b = await requireBatch(store, id);
        if (opts.history) {
          const trail = await auditTrail(store, id);
          if (opts.json) return console.log(JSON.stringify(trail, null, 2));
          console.log(
            textTable(
              ["seq", "version", "at", "user", "action", "field", "old", "new", "reason"],
              trail.map((t) => [
                String(t.seq),
                String(t.version ?? ""),
                t.at,
                t.actor,
                t.action,
                t.field ?? "",
                clip(t.oldValue),
                clip(t.newValue),
                t.reason,
              ]),
            ),
          );
          return;
        }
        if (opts.json) return console.log(JSON.stringify({ version: b.version, ...b.record }, null, 2));
        const r = b.record;
        const p = particlesPerMl(r);
        const purity = p && r.protein ? purityRatio(p, r.protein.ugPerMl) : null;
        const sd = r.sizeDistribution?.summary;
        const rows: [string, string][] = [
          ["batch", `${r.id} (version ${b.version}, ${b.createdAt} by ${b.createdBy}: ${b.reason})`],
          ["source", `${r.source.cellType}, donor ${r.source.donor}, passage ${r.source.passage}`],
          ["culture", r.source.cultureConditions ?? "—"],
          ["preconditioning", r.source.preconditioning ?? "—"],
          ["isolation", `${r.isolation.method}${r.isolation.date ? ` on ${r.isolation.date}` : ""}`],
          ["particles/mL", formatValue(p)],
          [
            "size",
            sd
              ? `mode ${sd.modeNm.toFixed(1)} nm, D50 ${sd.d50Nm.toFixed(1)} nm, span ${sd.span.toFixed(2)}`
              : "—",
          ],
          ["protein", r.protein ? `${r.protein.ugPerMl} µg/mL (${r.protein.method})` : "—"],
          ["lipid", r.lipid ? `${r.lipid.value} ${r.lipid.unit} (${r.lipid.method})` : "—"],
          ["purity", purity ? `${sci(purity.particlesPerUg)} particles/µg (${purity.class})` : "—"],
          [
            "markers",
            Object.entries(r.markers)
              .map(([k, v]) => `${k} ${v === "positive" ? "+" : v === "negative" ? "−" : "?"}`)
              .join(", ") || "—",
          ],
          [
            "imaging",
            r.singleVesicleImaging
              ? `${r.singleVesicleImaging.method}: ${r.singleVesicleImaging.conforms ? "conforms" : "does not conform"}`
              : "—",
          ],
          ["sterility", r.sterility ?? "—"],
          ["endotoxin", r.endotoxinEuPerMl === undefined ? "—" : `${r.endotoxinEuPerMl} EU/mL`],
          ["mycoplasma", r.mycoplasma ?? "—"],
          ["potency", r.potency.map((x) => `${x.assay}: ${x.value} ${x.unit}`).join("; ") || "—"],
        ];
        console.log(textTable(["field", "value"], rows));
      });
    });

  batch
    .command("list")
    .description("list batches in production order")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withStore(async (store) => {
        const all = await listBatches(store);
        if (opts.json)
          return console.log(
            JSON.stringify(
              all.map((b) => ({ version: b.version, ...b.record })),
              null,
              2,
            ),
          );
        console.log(
          textTable(
            ["batch", "version", "method", "date", "donor", "particles/mL"],
            all.map((b) => [
              b.record.id,
              String(b.version),
              b.record.isolation.method,
              b.record.isolation.date ?? "",
              b.record.source.donor,
              formatValue(particlesPerMl(b.record)),
            ]),
          ),
        );
      });
    });

  qc.command("check")
    .description("MISEV2023 minimal-characterization check and release-specification verdict for a batch")
    .argument("<id>", "batch id")
    .option("--spec <file>", "release specification YAML (default data/release-spec.yaml)")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { spec?: string; json?: boolean }) => {
      const spec = loadReleaseSpec(opts.spec);
      const b = await withStore((store) => requireBatch(store, id));
      const misev = checkMisev2023(b.record);
      const release = evaluateRelease(b.record, spec);
      if (opts.json)
        return console.log(JSON.stringify({ batch: id, version: b.version, misev, release }, null, 2));
      console.log(`${misev.guideline}: ${misev.verdict.toUpperCase()}`);
      console.log(
        textTable(
          ["requirement", "verdict", "evidence"],
          misev.requirements.map((r) => [r.id, r.verdict, r.detail]),
        ),
      );
      console.log(
        `\nRelease specification "${release.spec}" v${release.version}: ${release.decision.toUpperCase()}`,
      );
      console.log(
        textTable(
          ["test", "acceptance", "result", "verdict"],
          release.results.map((r) => [
            r.id,
            r.acceptance,
            formatValue(r.value),
            r.verdict + (r.required ? "" : " (optional)"),
          ]),
        ),
      );
    });

  qc.command("trend")
    .description(
      "control charts (mean ± 3σ, individuals chart) of size mode, concentration, purity and potency",
    )
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const batches = await withStore((store) => listBatches(store));
      const charts = trendReport(batches.map((b) => b.record));
      if (opts.json) return console.log(JSON.stringify(charts, null, 2));
      if (charts.length === 0) return console.log("fewer than 3 batches with values: no control chart yet");
      for (const c of charts) {
        console.log(
          `\n${c.label} (${c.unit}): n=${c.n}, mean ${fmt(c.mean)}, σ ${fmt(c.sigma)}, limits ${fmt(c.lcl)} – ${fmt(c.ucl)}`,
        );
        console.log(
          textTable(
            ["batch", "value", "flags"],
            c.points.map((p) => [
              p.batchId,
              fmt(p.value),
              p.flags.length ? `OUT OF TREND: ${p.flags.join(", ")}` : "",
            ]),
          ),
        );
      }
    });

  qc.command("coa")
    .description("certificate of analysis for a batch as PDF or HTML (by the --out extension)")
    .argument("<id>", "batch id")
    .requiredOption("--out <file>", "output file, .pdf or .html")
    .option("--spec <file>", "release specification YAML (default data/release-spec.yaml)")
    .action(async (id: string, opts: { out: string; spec?: string }) => {
      const ext = extname(opts.out).toLowerCase();
      if (ext !== ".pdf" && ext !== ".html" && ext !== ".htm")
        throw new InputError("out", opts.out, [".pdf", ".html"]);
      const spec = loadReleaseSpec(opts.spec);
      const b = await withStore((store) => requireBatch(store, id));
      const content = coaContent(b.record, b, spec);
      if (ext === ".pdf") await writeCoaPdf(content, opts.out);
      else writeFileSync(opts.out, coaHtml(content));
      console.log(`wrote ${opts.out}: ${id} ${content.release.decision.toUpperCase()}`);
    });

  qc.command("verify-audit")
    .description("verify the audit trail's hash chain and that every stored record matches its audit entry")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const v = await withStore((store) => verifyAudit(store.db));
      if (opts.json) console.log(JSON.stringify(v, null, 2));
      else if (v.ok)
        console.log(`audit trail OK: ${v.entries} entries, ${v.versions} record versions, head ${v.head}`);
      else {
        console.log(`AUDIT TRAIL TAMPERED: ${v.problems.length} problem(s)`);
        for (const p of v.problems)
          console.log(`  ${p.seq === null ? "" : `seq ${p.seq} `}${p.entity ?? ""} ${p.problem}`);
      }
      if (!v.ok) process.exitCode = 1;
    });

  qc.command("audit")
    .description("print the audit trail (all, or one batch)")
    .option("--batch <id>", "only this batch")
    .option("--json", "print JSON")
    .action(async (opts: { batch?: string; json?: boolean }) => {
      const trail = await withStore((store) => auditTrail(store, opts.batch));
      if (opts.json) return console.log(JSON.stringify(trail, null, 2));
      console.log(
        textTable(
          ["seq", "at", "user", "action", "batch", "version", "field", "reason"],
          trail.map((t) => [
            String(t.seq),
            t.at,
            t.actor,
            t.action,
            t.entityId,
            String(t.version ?? ""),
            t.field ?? "",
            t.reason,
          ]),
        ),
      );
    });
}

function clip(s: string | null, n = 40): string {
  if (s === null) return "";
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(1);
}
