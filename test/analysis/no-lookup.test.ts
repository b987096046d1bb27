import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("no model code reads the claims", () => {
  it("only the validation module and interfaces mention claims.yaml or studies.yaml", () => {
    const model = [
      "src/network",
      "src/solver",
      "src/scenario",
      "src/tissue",
      "src/delivery",
      "src/engineering",
    ].flatMap(files);
    const offenders = model.filter((f) =>
      /claims\.yaml|studies\.yaml|loadDefaultCases|loadKnowledgeBase/.test(readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
