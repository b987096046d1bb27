import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEFAULT_DATA_DIR, KnowledgeBaseError, loadKnowledgeBase } from "../../src/evidence/index.ts";

const FILES = ["references.yaml", "entities.yaml", "studies.yaml", "facts.yaml"];
const dirs: string[] = [];

/** A copy of data/ in a temp dir with one file rewritten by `edit`. */
function brokenCopy(file: string, edit: (records: Record<string, unknown>[]) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "exomi-kb-"));
  dirs.push(dir);
  for (const f of FILES) copyFileSync(join(DEFAULT_DATA_DIR, f), join(dir, f));
  const records = parse(readFileSync(join(dir, file), "utf8"));
  edit(records);
  writeFileSync(join(dir, file), stringify(records));
  return dir;
}

function loadError(dir: string): string {
  try {
    loadKnowledgeBase(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeBaseError);
    return (err as Error).message;
  }
  throw new Error("expected the broken knowledge base to fail");
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("a broken knowledge base fails with a message naming the problem", () => {
  it("an unmodified copy loads", () => {
    const dir = brokenCopy("facts.yaml", () => {});
    expect(loadKnowledgeBase(dir).studies).toHaveLength(46);
  });

  it("duplicate study id", () => {
    const dir = brokenCopy("studies.yaml", (s) => {
      s[1].id = s[0].id;
    });
    expect(loadError(dir)).toMatch(/studies\.yaml: T1-01: id: duplicate id "T1-01"/);
  });

  it("study citing an unknown reference", () => {
    const dir = brokenCopy("studies.yaml", (s) => {
      s[17].reference = "Nobody et al., 2099";
    });
    expect(loadError(dir)).toMatch(
      /studies\.yaml: T1-18: reference: unknown reference "Nobody et al., 2099"/,
    );
  });

  it("study without a reference", () => {
    const dir = brokenCopy("studies.yaml", (s) => {
      delete s[0].reference;
    });
    expect(loadError(dir)).toMatch(/T1-01: reference: study has no reference/);
  });

  it("dangling reference alias", () => {
    const dir = brokenCopy("references.yaml", (r) => {
      const a = r.find((x) => x.id === "Zhang et al., 2024a")!;
      a.alias_of = "Zhang Q. et al., 2024";
    });
    expect(loadError(dir)).toMatch(/references\.yaml: Zhang et al\., 2024a: alias_of: dangling alias/);
  });

  it("ambiguous entity alias", () => {
    const dir = brokenCopy("entities.yaml", (e) => {
      const jnk3 = e.find((x) => x.id === "JNK3")!;
      (jnk3.aliases as string[]).push("SLC11A2");
    });
    // reported on whichever of the two entities comes second in the file
    expect(loadError(dir)).toMatch(
      /entities\.yaml: (JNK3|DMT1): aliases: ambiguous alias "slc11a2": also names "(DMT1|JNK3)"/,
    );
  });

  it("unknown entity in a study field and an invalid readout", () => {
    const dir = brokenCopy("studies.yaml", (s) => {
      s[0].targets = ["NOT_A_GENE"];
      (s[0].claims as Record<string, unknown>[])[0].readout = "happiness";
    });
    expect(loadError(dir)).toMatch(/T1-01: claims\.0\.readout/);
  });

  it("unknown entity in a study field", () => {
    const dir = brokenCopy("studies.yaml", (s) => {
      s[0].targets = ["NOT_A_GENE"];
    });
    expect(loadError(dir)).toMatch(/T1-01: targets: unknown entity "NOT_A_GENE"/);
  });
});
