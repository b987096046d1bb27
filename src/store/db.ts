import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import SQLite from "better-sqlite3";
import envPaths from "env-paths";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { InputError } from "../core/errors.ts";
import { migrateToLatest } from "./migrations.ts";
import type { Database } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** where the data lives, with any password removed */
  location: string;
  /** PostgreSQL schema when opened with `pgSchema` */
  schema?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL only: use (and create) this schema, so tests can run side by side */
  pgSchema?: string;
}

/**
 * The database URL: `EXOMI_DATABASE_URL` if set (`sqlite:/path/file.db`, a bare path, or
 * `postgres://…`), else `exomi.db` in the user's data directory (env-paths).
 */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.EXOMI_DATABASE_URL?.trim();
  if (url) return url;
  return `sqlite:${join(envPaths("exomi", { suffix: "" }).data, "exomi.db")}`;
}

export function parseDatabaseUrl(url: string): { dialect: Dialect; target: string } {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: "postgres", target: url };
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "") throw new InputError("EXOMI_DATABASE_URL", url, [], "sqlite: needs a file path");
    return { dialect: "sqlite", target: path === ":memory:" ? path : resolve(path) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new InputError("EXOMI_DATABASE_URL", url, ["sqlite:/path/file.db", "postgres://user@host/db"]);
  }
  return { dialect: "sqlite", target: resolve(url) };
}

/** Opens (creating and migrating if needed) the database at `url`. */
export async function openStore(url = resolveDatabaseUrl(), opts: OpenOptions = {}): Promise<Store> {
  const { dialect, target } = parseDatabaseUrl(url);
  let db: Kysely<Database>;
  if (dialect === "sqlite") {
    if (target !== ":memory:") mkdirSync(dirname(target), { recursive: true });
    const database = new SQLite(target);
    // WAL: readers never block the writer, and a killed writer leaves the last commit intact
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("busy_timeout = 5000");
    database.pragma("foreign_keys = ON");
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  } else {
    const schema = opts.pgSchema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new InputError("pgSchema", schema, [], "lowercase identifier");
    const pool = new pg.Pool({ connectionString: target, max: 4 });
    if (schema) {
      // queries on a client run in order, so this precedes every query Kysely sends
      pool.on("connect", (c) => {
        c.query(`set search_path to ${schema}`).catch(() => {});
      });
    }
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    if (schema) await sql.raw(`create schema if not exists ${schema}`).execute(db);
  }
  try {
    await migrateToLatest(db as Kysely<unknown>, dialect === "postgres" ? opts.pgSchema : undefined);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    db,
    dialect,
    location: dialect === "sqlite" ? target : target.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@"),
    schema: dialect === "postgres" ? opts.pgSchema : undefined,
    close: () => db.destroy(),
  };
}
