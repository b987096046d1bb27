import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { AuditLogTable, Database } from "./schema.ts";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export type AuditEntry = Omit<AuditLogTable, "seq" | "prev_hash" | "hash">;

/** The hash of one entry covers its sequence number, its content and the previous entry's hash. */
export function entryHash(seq: number, entry: AuditEntry, prevHash: string): string {
  const content = {
    seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    entity_type: entry.entity_type,
    entity_id: entry.entity_id,
    version: entry.version,
    field: entry.field,
    old_value: entry.old_value,
    new_value: entry.new_value,
    reason: entry.reason,
    record_sha256: entry.record_sha256,
  };
  return sha256(`${prevHash}\n${canonicalJson(content)}`);
}

/**
 * Appends one entry at the head of the chain. Call inside the transaction that makes the change,
 * so the change and its audit entry commit together or not at all.
 */
export async function appendAudit(
  trx: Transaction<Database>,
  entry: AuditEntry,
  dialect: string,
): Promise<number> {
  // PostgreSQL: serialize writers on the chain head; SQLite already has a single writer
  if (dialect === "postgres") await sql`lock table audit_log in share row exclusive mode`.execute(trx);
  const head = await trx
    .selectFrom("audit_log")
    .select(["seq", "hash"])
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  await trx
    .insertInto("audit_log")
    .values({ ...entry, seq, prev_hash: prevHash, hash: entryHash(seq, entry, prevHash) })
    .execute();
  return seq;
}

export interface AuditProblem {
  seq: number | null;
  entity?: string;
  problem: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  versions: number;
  head: string;
  problems: AuditProblem[];
}

/**
 * Checks that (1) the chain is unbroken: consecutive seq, each prev_hash equals the previous hash,
 * each hash recomputes; (2) every stored batch version hashes to its record_sha256 and has exactly
 * the audit entry that created it; (3) every audit entry about a version points at one that exists.
 * Deleting the newest entries is only detectable against a head hash kept elsewhere (printed here).
 */
export async function verifyAudit(db: Kysely<Database>): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const rows = await db.selectFrom("audit_log").selectAll().orderBy("seq").execute();
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq !== expectSeq) problems.push({ seq, problem: `sequence gap: expected ${expectSeq}` });
    if (r.prev_hash !== prev)
      problems.push({ seq, problem: "prev_hash does not match the previous entry's hash" });
    const { seq: _s, prev_hash: _p, hash: _h, ...entry } = r;
    if (
      entryHash(
        seq,
        { ...entry, version: entry.version === null ? null : Number(entry.version) },
        r.prev_hash,
      ) !== r.hash
    ) {
      problems.push({ seq, problem: "entry content does not match its hash (edited)" });
    }
    prev = r.hash;
    expectSeq = seq + 1;
  }

  const versions = await db
    .selectFrom("batch_versions")
    .selectAll()
    .orderBy("batch_id")
    .orderBy("version")
    .execute();
  const creating = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.entity_type === "batch" && r.version !== null && r.record_sha256) {
      const key = `${r.entity_id}@${Number(r.version)}`;
      if (creating.has(key))
        problems.push({ seq: Number(r.seq), entity: key, problem: "second audit entry for one version" });
      creating.set(key, r);
    }
  }
  const seen = new Set<string>();
  let lastBatch = "";
  let lastVersion = 0;
  for (const v of versions) {
    const key = `${v.batch_id}@${Number(v.version)}`;
    seen.add(key);
    if (v.batch_id !== lastBatch) lastVersion = 0;
    if (Number(v.version) !== lastVersion + 1) {
      problems.push({ seq: null, entity: key, problem: `version gap after ${v.batch_id}@${lastVersion}` });
    }
    lastBatch = v.batch_id;
    lastVersion = Number(v.version);
    if (sha256(v.record) !== v.record_sha256) {
      problems.push({
        seq: null,
        entity: key,
        problem: "record content does not match its stored hash (edited)",
      });
    }
    const audit = creating.get(key);
    if (!audit) problems.push({ seq: null, entity: key, problem: "batch version has no audit entry" });
    else if (audit.record_sha256 !== v.record_sha256) {
      problems.push({
        seq: Number(audit.seq),
        entity: key,
        problem: "record hash differs from the audited hash",
      });
    }
  }
  for (const key of creating.keys()) {
    if (!seen.has(key))
      problems.push({
        seq: Number(creating.get(key)?.seq),
        entity: key,
        problem: "audited version is missing (deleted)",
      });
  }
  return { ok: problems.length === 0, entries: rows.length, versions: versions.length, head: prev, problems };
}
