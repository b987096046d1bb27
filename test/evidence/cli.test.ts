import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const REPO = join(import.meta.dirname, "../..");
const exomi = (...args: string[]) =>
  spawnSync(process.execPath, [join(REPO, "bin/exomi.mjs"), "evidence", ...args], {
    cwd: "/",
    encoding: "utf8",
  });

// Each spawn starts tsx (seconds on a loaded machine), so only the two contracts the library tests
// cannot see are checked here: the data dir is found from any cwd, and bad input exits 2.
describe("exomi evidence (CLI, run from another directory)", () => {
  it("list --json returns 46 study rows", () => {
    const r = exomi("list", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(46);
  });

  it("an unknown route exits 2 naming the field and suggesting values", () => {
    const r = exomi("list", "--route", "subcutaneous");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid route: "subcutaneous"/);
    expect(r.stderr).toMatch(/allowed values: .*Intravenous injection/);
  });
});
