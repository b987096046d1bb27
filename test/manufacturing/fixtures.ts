import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { BatchRecord } from "../../src/manufacturing/batch.ts";
import { importSizeFile } from "../../src/manufacturing/import/index.ts";

export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/qc/${name}`, import.meta.url));
export const NANOSIGHT = fixture("B-NS-01 2024-05-14 10-21-07-ExperimentSummary.csv");
export const ZETAVIEW = fixture("20240515_0003_B-ZV-01_size_488.txt");
export const PLAIN = fixture("plain-size.csv");

export function batchFixture(
  name: "batch-pass" | "batch-fail" | "batch-incomplete",
  withSize = true,
): BatchRecord {
  const raw = parseYaml(readFileSync(fixture(`${name}.yaml`), "utf8"));
  const size = name === "batch-fail" ? ZETAVIEW : NANOSIGHT;
  return BatchRecord.parse({ ...raw, ...(withSize ? { sizeDistribution: importSizeFile(size) } : {}) });
}
