import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from "kysely";

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Refuses UPDATE and DELETE on a table: records are superseded, never changed. */
async function appendOnly(db: Kysely<unknown>, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql
      .raw(`create trigger ${table}_append_only before update or delete on ${table}
            for each row execute function exomi_append_only()`)
      .execute(db);
  } else {
    for (const op of ["update", "delete"]) {
      await sql
        .raw(`create trigger ${table}_no_${op} before ${op} on ${table}
              begin select raise(abort, '${table} is append-only'); end`)
        .execute(db);
    }
  }
}

const migrations: Record<string, Migration> = {
  "0001_batches_and_audit": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("batch_versions")
        .addColumn("batch_id", "varchar(64)", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("record", "text", (c) => c.notNull())
        .addColumn("record_sha256", "varchar(64)", (c) => c.notNull())
        .addColumn("created_at", "varchar(32)", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("batch_versions_pk", ["batch_id", "version"])
        .execute();
      await db.schema
        .createTable("audit_log")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("at", "varchar(32)", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "varchar(32)", (c) => c.notNull())
        .addColumn("entity_type", "varchar(32)", (c) => c.notNull())
        .addColumn("entity_id", "varchar(64)", (c) => c.notNull())
        .addColumn("version", "integer")
        .addColumn("field", "text")
        .addColumn("old_value", "text")
        .addColumn("new_value", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("record_sha256", "varchar(64)")
        // unique prev_hash: two writers that read the same head cannot both append (no forks)
        .addColumn("prev_hash", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("hash", "varchar(64)", (c) => c.notNull().unique())
        .execute();
      await db.schema
        .createIndex("audit_log_entity")
        .on("audit_log")
        .columns(["entity_type", "entity_id"])
        .execute();
      if (isPostgres(db)) {
        await sql
          .raw(`create or replace function exomi_append_only() returns trigger language plpgsql as $$
                begin raise exception '% is append-only', tg_table_name; end $$`)
          .execute(db);
      }
      await appendOnly(db, "batch_versions");
      await appendOnly(db, "audit_log");
    },
  },
};

/** Migrations defined in code, shared by both dialects. */
export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };

/** `schema`: PostgreSQL schema holding the migration bookkeeping (and, via search_path, the tables). */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
