/**
 * Database tables. Both are append-only: rows are inserted, never updated or deleted (triggers
 * enforce this in both dialects). A batch edit appends a new version; the current record is the
 * highest version. JSON is stored as text so the schema is identical on SQLite and PostgreSQL.
 */
export interface BatchVersionTable {
  batch_id: string;
  version: number;
  /** canonical JSON of the validated BatchRecord */
  record: string;
  record_sha256: string;
  created_at: string;
  created_by: string;
  reason: string;
}

export interface AuditLogTable {
  /** 1, 2, 3… in write order; the hash chain runs over this order */
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  version: number | null;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string;
  record_sha256: string | null;
  prev_hash: string;
  hash: string;
}

export interface Database {
  batch_versions: BatchVersionTable;
  audit_log: AuditLogTable;
}
