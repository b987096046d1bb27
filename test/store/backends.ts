import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/db.ts";

export interface Backend {
  name: string;
  open(): Promise<Store>;
  /** run raw SQL as an attacker with direct database access would */
  raw(store: Store, statement: string): Promise<void>;
}

let counter = 0;

/** SQLite always; PostgreSQL when EXOMI_TEST_PG_URL is set (scripts/pg-test.sh sets it). */
export function backends(): Backend[] {
  const list: Backend[] = [
    {
      name: "sqlite",
      open: () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), "exomi-store-")), "test.db")}`),
      raw: async (store, statement) => {
        const { sql } = await import("kysely");
        await sql.raw(statement).execute(store.db);
      },
    },
  ];
  const pgUrl = process.env.EXOMI_TEST_PG_URL;
  if (pgUrl) {
    list.push({
      name: "postgres",
      open: () => openStore(pgUrl, { pgSchema: `exomi_t${process.pid}_${Date.now() % 1e6}_${counter++}` }),
      raw: async (store, statement) => {
        const { sql } = await import("kysely");
        await sql.raw(statement).execute(store.db);
      },
    });
  }
  return list;
}
