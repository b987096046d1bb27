import { parse as parseYaml } from "yaml";
import { InputError } from "../core/errors.ts";
import { BatchRecord, type BatchRecordInput } from "../manufacturing/batch.ts";
import { findMarker, MARKER_NAMES } from "../manufacturing/markers.ts";
import type { SizeDistribution } from "../manufacturing/size-distribution.ts";
import { appendAudit, canonicalJson, sha256 } from "./audit.ts";
import type { Store } from "./db.ts";

export interface WriteContext {
  actor: string;
  reason: string;
  /** test seam: runs inside the transaction just before commit */
  beforeCommit?: () => Promise<void>;
}

export interface StoredBatch {
  record: BatchRecord;
  version: number;
  recordSha256: string;
  createdAt: string;
  createdBy: string;
  reason: string;
}

function checkContext(ctx: WriteContext): void {
  if (!ctx.actor.trim())
    throw new InputError("user", ctx.actor, [], "every change needs the name of who made it");
  if (!ctx.reason.trim()) throw new InputError("reason", ctx.reason, [], "every change needs a reason");
}

/** Appends version `version` of a batch and its audit entry in one transaction. */
async function writeVersion(
  store: Store,
  record: BatchRecord,
  expectedPrevious: number,
  ctx: WriteContext,
  audit: { action: string; field: string | null; oldValue: unknown; newValue: unknown },
): Promise<StoredBatch> {
  checkContext(ctx);
  const text = canonicalJson(record);
  const hash = sha256(text);
  const at = new Date().toISOString();
  const version = expectedPrevious + 1;
  await store.db.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom("batch_versions")
      .select((eb) => eb.fn.max("version").as("v"))
      .where("batch_id", "=", record.id)
      .executeTakeFirst();
    const current = head?.v == null ? 0 : Number(head.v);
    if (current !== expectedPrevious) {
      throw new InputError(
        "batch",
        record.id,
        [],
        current === 0 ? "does not exist" : `was changed concurrently (now at version ${current}); retry`,
      );
    }
    await trx
      .insertInto("batch_versions")
      .values({
        batch_id: record.id,
        version,
        record: text,
        record_sha256: hash,
        created_at: at,
        created_by: ctx.actor,
        reason: ctx.reason,
      })
      .execute();
    await appendAudit(
      trx,
      {
        at,
        actor: ctx.actor,
        action: audit.action,
        entity_type: "batch",
        entity_id: record.id,
        version,
        field: audit.field,
        old_value: audit.oldValue === undefined ? null : canonicalJson(audit.oldValue),
        new_value: audit.newValue === undefined ? null : canonicalJson(audit.newValue),
        reason: ctx.reason,
        record_sha256: hash,
      },
      store.dialect,
    );
    if (ctx.beforeCommit) await ctx.beforeCommit();
  });
  return { record, version, recordSha256: hash, createdAt: at, createdBy: ctx.actor, reason: ctx.reason };
}

/** Creates a batch from a record (validated); fails if the id exists. */
export async function createBatch(
  store: Store,
  input: BatchRecordInput,
  ctx: WriteContext,
): Promise<StoredBatch> {
  checkContext(ctx);
  const record = BatchRecord.parse(input);
  if (await getBatch(store, record.id))
    throw new InputError("id", record.id, [], "a batch with this id already exists");
  return writeVersion(store, record, 0, ctx, {
    action: "create",
    field: null,
    oldValue: undefined,
    newValue: withoutBins(record),
  });
}

/** The current (highest) version of a batch, or a given version; null when absent. */
export async function getBatch(store: Store, id: string, version?: number): Promise<StoredBatch | null> {
  let q = store.db.selectFrom("batch_versions").selectAll().where("batch_id", "=", id);
  q = version === undefined ? q.orderBy("version", "desc").limit(1) : q.where("version", "=", version);
  const row = await q.executeTakeFirst();
  if (!row) return null;
  return {
    record: BatchRecord.parse(JSON.parse(row.record)),
    version: Number(row.version),
    recordSha256: row.record_sha256,
    createdAt: row.created_at,
    createdBy: row.created_by,
    reason: row.reason,
  };
}

export async function requireBatch(store: Store, id: string): Promise<StoredBatch> {
  const b = await getBatch(store, id);
  if (b) return b;
  const ids = await listBatchIds(store);
  throw new InputError("batch", id, ids, ids.length === 0 ? "no batches stored yet" : "no such batch");
}

export async function listBatchIds(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom("batch_versions")
    .select("batch_id")
    .distinct()
    .orderBy("batch_id")
    .execute();
  return rows.map((r) => r.batch_id);
}

/** Current versions of all batches in production order (isolation date, then creation time). */
export async function listBatches(store: Store): Promise<StoredBatch[]> {
  const firsts = await store.db
    .selectFrom("batch_versions")
    .select(["batch_id", "created_at"])
    .where("version", "=", 1)
    .execute();
  const created = new Map(firsts.map((r) => [r.batch_id, r.created_at]));
  const out: StoredBatch[] = [];
  for (const id of created.keys()) {
    const b = await getBatch(store, id);
    if (b) out.push(b);
  }
  const key = (b: StoredBatch) => `${b.record.isolation.date ?? ""}\u0000${created.get(b.record.id) ?? ""}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityId: string;
  version: number | null;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
  reason: string;
}

export async function auditTrail(store: Store, batchId?: string): Promise<AuditRow[]> {
  let q = store.db.selectFrom("audit_log").selectAll().orderBy("seq");
  if (batchId) q = q.where("entity_type", "=", "batch").where("entity_id", "=", batchId);
  const rows = await q.execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    entityId: r.entity_id,
    version: r.version === null ? null : Number(r.version),
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    reason: r.reason,
  }));
}

const READ_ONLY_FIELDS = new Set(["id", "sizeDistribution"]);

/** Parses `a.b.0.c` into path segments; marker names are canonicalized. */
export function parseFieldPath(path: string): (string | number)[] {
  const segs = path.split(".").map((s) => s.trim());
  if (segs.some((s) => s === ""))
    throw new InputError("field", path, [], "use a dotted path such as source.passage");
  if (READ_ONLY_FIELDS.has(segs[0])) {
    throw new InputError(
      "field",
      path,
      [],
      segs[0] === "id" ? "a batch id cannot change" : "use `exomi qc import`",
    );
  }
  if (segs[0] === "markers" && segs.length === 2) {
    const m = findMarker(segs[1]);
    if (!m) throw new InputError("marker", segs[1], MARKER_NAMES);
    segs[1] = m.name;
  }
  return segs.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A command-line value: YAML scalar rules, so 0.1 is a number, true a boolean, `null` removes. */
export function parseFieldValue(raw: string): unknown {
  try {
    return parseYaml(raw);
  } catch {
    return raw;
  }
}

function getAt(obj: unknown, path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const s of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

function setAt(obj: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const s = path[i];
    if (cur[s] === undefined || cur[s] === null || typeof cur[s] !== "object") {
      cur[s] = typeof path[i + 1] === "number" ? [] : {};
    }
    cur = cur[s] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === null) {
    if (Array.isArray(cur) && typeof last === "number") cur.splice(last, 1);
    else delete cur[last];
  } else {
    cur[last] = value;
  }
}

/** Supersedes the batch with one field changed (`null` removes it); the result is revalidated. */
export async function setBatchField(
  store: Store,
  id: string,
  field: string,
  value: unknown,
  ctx: WriteContext,
): Promise<StoredBatch> {
  checkContext(ctx);
  const path = parseFieldPath(field);
  const current = await requireBatch(store, id);
  const draft = structuredClone(current.record) as unknown as Record<string, unknown>;
  const oldValue = getAt(draft, path);
  setAt(draft, path, value);
  const record = BatchRecord.parse(draft);
  const newValue = getAt(record, path);
  if (canonicalJson(oldValue ?? null) === canonicalJson(newValue ?? null)) {
    throw new InputError(field, value, [], "unchanged: the batch already has this value");
  }
  return writeVersion(store, record, current.version, ctx, {
    action: "set",
    field: path.join("."),
    oldValue: oldValue ?? null,
    newValue: newValue ?? null,
  });
}

/** Attaches an imported size distribution to a batch as a new version. */
export async function recordSizeImport(
  store: Store,
  id: string,
  distribution: SizeDistribution,
  ctx: WriteContext,
): Promise<StoredBatch> {
  const current = await requireBatch(store, id);
  const record = BatchRecord.parse({ ...current.record, sizeDistribution: distribution });
  return writeVersion(store, record, current.version, ctx, {
    action: "import",
    field: "sizeDistribution",
    oldValue: current.record.sizeDistribution ? describeImport(current.record.sizeDistribution) : null,
    newValue: describeImport(distribution),
  });
}

/** What the audit trail shows of an import: the file, its hash, dilution and summary (bins are in the record). */
function describeImport(d: SizeDistribution) {
  return {
    instrument: d.instrument,
    sourceFile: d.sourceFile,
    fileSha256: d.fileSha256,
    dilutionFactor: d.dilutionFactor,
    dilutionSource: d.dilutionSource,
    bins: d.bins.length,
    summary: d.summary,
  };
}

function withoutBins(r: BatchRecord): unknown {
  return r.sizeDistribution ? { ...r, sizeDistribution: describeImport(r.sizeDistribution) } : r;
}
