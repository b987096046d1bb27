import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/exomi.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "exomi-cli-"));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
const file = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
};

describe("exomi simulate / validate on bad input", () => {
  it("a bad scenario exits 2 naming the field and the allowed values", () => {
    const r = run("simulate", file("bad.json", { species: "dog", injury: "none" }));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/species/);
    expect(r.stderr).toMatch(/mouse, rat, human/);
  });

  it("a negative dose and an unknown route exit 2", () => {
    const neg = run("simulate", file("neg.json", { therapy: { dose_particles: -5 } }));
    expect(neg.status).toBe(2);
    expect(neg.stderr).toMatch(/dose_particles/);
    const route = run(
      "simulate",
      file("route.json", { therapy: { route: "intravenus" } }),
      "--readouts",
      "apoptosis",
    );
    expect(route.status).toBe(2);
    expect(route.stderr).toMatch(/intravenous/);
  });

  it("validate exits 2 on a malformed file and on an unknown readout, naming it", () => {
    expect(run("validate", "--cases", file("broken.json", "{ nope")).status).toBe(2);
    const unknown = run(
      "validate",
      "--cases",
      file("unknown.json", {
        cases: [
          {
            id: "x",
            claim: "c",
            reference: "r",
            scenario: { injury: "none" },
            baseline: { injury: "none" },
            readout: "ferroptosiss",
            time_h: 1,
            time_basis: "test case",
            expect: "no-change",
          },
        ],
      }),
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/ferroptosiss/);
  });

  it("validate runs a valid case file and prints the agreement line", () => {
    const ok = run(
      "validate",
      "--cases",
      file("ok.json", {
        cases: [
          {
            id: "ferro",
            claim: "miR-23a-3p loading lowers ferroptosis vs untreated",
            reference: "Song et al., 2021",
            scenario: {
              species: "mouse",
              therapy: { engineering: [{ kind: "load", molecule: "miR-23a-3p" }] },
            },
            baseline: { species: "mouse", therapy: null },
            readout: "ferroptosis",
            time_h: 24,
            time_basis: "test case",
            expect: "decrease",
          },
        ],
      }),
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/1\/1 cases agree \(100\.0%\)/);
  });
});
