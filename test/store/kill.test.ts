import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { importSizeFile } from "../../src/manufacturing/import/index.ts";
import { verifyAudit } from "../../src/store/audit.ts";
import { auditTrail, createBatch, getBatch, recordSizeImport } from "../../src/store/batches.ts";
import { openStore } from "../../src/store/db.ts";
import { fixture, NANOSIGHT } from "../manufacturing/fixtures.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("killing the process during an import", () => {
  it("leaves the SQLite database consistent: no partial batch, audit chain verifies, next import works", async () => {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), "exomi-kill-")), "kill.db")}`;
    let store = await openStore(url);
    await createBatch(store, parseYaml(readFileSync(fixture("batch-pass.yaml"), "utf8")), {
      actor: "qa",
      reason: "t",
    });
    await store.close();

    const child = spawn(
      process.execPath,
      ["bin/run-ts.mjs", "test/fixtures/qc/hold-import.ts", url, "B-PASS-01", NANOSIGHT],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        if (d.toString().includes("HOLD")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    // the child is inside the write transaction, its rows inserted but not committed
    const exited = new Promise((r) => child.on("exit", (_code, signal) => r(signal)));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    store = await openStore(url);
    try {
      const b = await getBatch(store, "B-PASS-01");
      expect(b?.version).toBe(1);
      expect(b?.record.sizeDistribution).toBeUndefined();
      expect(await auditTrail(store)).toHaveLength(1);
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
      expect(integrity.rows[0]?.integrity_check).toBe("ok");
      expect((await verifyAudit(store.db)).ok).toBe(true);
      // the lock died with the process: the import can be repeated
      const again = await recordSizeImport(store, "B-PASS-01", importSizeFile(NANOSIGHT), {
        actor: "qa",
        reason: "retry",
      });
      expect(again.version).toBe(2);
      expect((await verifyAudit(store.db)).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
