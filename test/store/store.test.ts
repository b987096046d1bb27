import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { importSizeFile } from "../../src/manufacturing/import/index.ts";
import { verifyAudit } from "../../src/store/audit.ts";
import {
  auditTrail,
  createBatch,
  getBatch,
  listBatches,
  recordSizeImport,
  setBatchField,
} from "../../src/store/batches.ts";
import { parseDatabaseUrl, resolveDatabaseUrl, type Store } from "../../src/store/db.ts";
import { fixture, NANOSIGHT } from "../manufacturing/fixtures.ts";
import { backends } from "./backends.ts";

const record = (name: string) => parseYaml(readFileSync(fixture(`${name}.yaml`), "utf8"));
const who = { actor: "qa.lead", reason: "test" };

describe("database URL", () => {
  it("uses EXOMI_DATABASE_URL, else a file in the user's data dir", () => {
    expect(resolveDatabaseUrl({ EXOMI_DATABASE_URL: "postgres://x@h/db" })).toBe("postgres://x@h/db");
    expect(resolveDatabaseUrl({})).toMatch(/^sqlite:.*exomi.*exomi\.db$/);
    expect(parseDatabaseUrl("sqlite:/tmp/a.db")).toEqual({ dialect: "sqlite", target: "/tmp/a.db" });
    expect(parseDatabaseUrl("postgresql://u@h/d").dialect).toBe("postgres");
    expect(() => parseDatabaseUrl("mysql://u@h/d")).toThrow(/EXOMI_DATABASE_URL/);
  });
});

describe.each(backends())("store on $name", (backend) => {
  let store: Store;
  afterEach(async () => {
    if (store?.schema) await backend.raw(store, `drop schema ${store.schema} cascade`);
    await store?.close();
  });

  it("creates a batch and reads it back validated, with an audit entry", async () => {
    store = await backend.open();
    const created = await createBatch(store, record("batch-pass"), who);
    expect(created.version).toBe(1);
    const got = await getBatch(store, "B-PASS-01");
    expect(got?.record.source.donor).toBe("D-017");
    expect(got?.recordSha256).toBe(created.recordSha256);
    const trail = await auditTrail(store, "B-PASS-01");
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ action: "create", actor: "qa.lead", version: 1 });
    await expect(createBatch(store, record("batch-pass"), who)).rejects.toThrow(/already exists/);
  });

  it("supersedes on edit: old versions stay readable and the audit keeps old and new values", async () => {
    store = await backend.open();
    await createBatch(store, record("batch-fail"), who);
    const v2 = await setBatchField(store, "B-FAIL-01", "endotoxinEuPerMl", 0.2, {
      actor: "ana",
      reason: "retest",
    });
    expect(v2.version).toBe(2);
    expect((await getBatch(store, "B-FAIL-01"))?.record.endotoxinEuPerMl).toBe(0.2);
    expect((await getBatch(store, "B-FAIL-01", 1))?.record.endotoxinEuPerMl).toBe(0.8);
    const last = (await auditTrail(store, "B-FAIL-01")).at(-1)!;
    expect(last).toMatchObject({
      action: "set",
      field: "endotoxinEuPerMl",
      oldValue: "0.8",
      newValue: "0.2",
    });
    expect(last.reason).toBe("retest");
    await expect(setBatchField(store, "B-FAIL-01", "source.passage", -1, who)).rejects.toThrow();
    await expect(setBatchField(store, "B-FAIL-01", "endotoxinEuPerMl", 0.2, who)).rejects.toThrow(
      /unchanged/,
    );
    await expect(setBatchField(store, "B-FAIL-01", "id", "X", who)).rejects.toThrow(/cannot change/);
    await expect(setBatchField(store, "B-FAIL-01", "markers.CD64", "positive", who)).rejects.toThrow(
      /CD63|CD9/,
    );
    await expect(
      setBatchField(store, "B-FAIL-01", "sterility", "negative", { actor: "ana", reason: " " }),
    ).rejects.toThrow(/reason/);
    expect((await getBatch(store, "B-FAIL-01"))?.version).toBe(2);
    const v = await verifyAudit(store.db);
    expect(v.ok).toBe(true);
    expect(v.entries).toBe(2);
  });

  it("stores an import as a new version and lists batches in production order", async () => {
    store = await backend.open();
    await createBatch(store, record("batch-incomplete"), who);
    await createBatch(store, record("batch-pass"), who);
    const imported = await recordSizeImport(store, "B-PASS-01", importSizeFile(NANOSIGHT), who);
    expect(imported.version).toBe(2);
    const b = await getBatch(store, "B-PASS-01");
    expect(b?.record.sizeDistribution?.bins).toHaveLength(1000);
    expect((await listBatches(store)).map((x) => x.record.id)).toEqual(["B-PASS-01", "B-INC-01"]);
    await expect(recordSizeImport(store, "NOPE", importSizeFile(NANOSIGHT), who)).rejects.toThrow(
      /B-INC-01|B-PASS-01/,
    );
  });

  it("rolls back a write that fails inside its transaction: no version, no audit entry", async () => {
    store = await backend.open();
    await createBatch(store, record("batch-pass"), who);
    await expect(
      recordSizeImport(store, "B-PASS-01", importSizeFile(NANOSIGHT), {
        ...who,
        beforeCommit: async () => {
          throw new Error("power cut");
        },
      }),
    ).rejects.toThrow(/power cut/);
    expect((await getBatch(store, "B-PASS-01"))?.version).toBe(1);
    expect(await auditTrail(store)).toHaveLength(1);
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it("refuses UPDATE and DELETE on records and on the audit trail", async () => {
    store = await backend.open();
    await createBatch(store, record("batch-pass"), who);
    await expect(backend.raw(store, "update batch_versions set reason = 'x'")).rejects.toThrow(/append-only/);
    await expect(backend.raw(store, "delete from audit_log")).rejects.toThrow(/append-only/);
  });

  it("verify-audit detects an edited entry, an edited record and a deleted version", async () => {
    store = await backend.open();
    await createBatch(store, record("batch-pass"), who);
    await setBatchField(store, "B-PASS-01", "endotoxinEuPerMl", 0.3, { actor: "ana", reason: "retest" });
    await setBatchField(store, "B-PASS-01", "productVolumeMl", 12, { actor: "ana", reason: "fill" });
    expect((await verifyAudit(store.db)).ok).toBe(true);
    const dropTriggers =
      store.dialect === "postgres"
        ? [
            "drop trigger audit_log_append_only on audit_log",
            "drop trigger batch_versions_append_only on batch_versions",
          ]
        : [
            "audit_log_no_update",
            "audit_log_no_delete",
            "batch_versions_no_update",
            "batch_versions_no_delete",
          ].map((t) => `drop trigger ${t}`);
    for (const s of dropTriggers) await backend.raw(store, s);

    await backend.raw(store, "update audit_log set new_value = '0.1' where seq = 2");
    let v = await verifyAudit(store.db);
    expect(v.ok).toBe(false);
    expect(v.problems.some((p) => p.seq === 2 && /edited/.test(p.problem))).toBe(true);

    await backend.raw(
      store,
      `update batch_versions set record = replace(record, '0.3', '0.1') where version = 2`,
    );
    v = await verifyAudit(store.db);
    expect(v.problems.some((p) => p.entity === "B-PASS-01@2" && /record content/.test(p.problem))).toBe(true);

    await backend.raw(store, "delete from batch_versions where version = 3");
    v = await verifyAudit(store.db);
    expect(v.problems.some((p) => p.entity === "B-PASS-01@3" && /deleted/.test(p.problem))).toBe(true);
  });
});
