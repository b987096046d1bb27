import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/cli/errors.ts";
import { importSizeFile, MalformedFileError, parseSizeExport } from "../../src/manufacturing/import/index.ts";
import { NANOSIGHT, PLAIN, ZETAVIEW } from "./fixtures.ts";

const text = (f: string) => readFileSync(f, "latin1");
const bytes = (s: string) => Buffer.from(s, "latin1");

/** Replaces the first line that starts with `prefix`. */
function editLine(src: string, prefix: string, replacement: string): { text: string; line: number } {
  const lines = src.split("\r\n");
  const i = lines.findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`no line starts with ${prefix}`);
  lines[i] = replacement;
  return { text: lines.join("\r\n"), line: i + 1 };
}

function malformed(fn: () => unknown): MalformedFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MalformedFileError) return err;
    throw err;
  }
  throw new Error("expected a MalformedFileError");
}

describe("NanoSight ExperimentSummary import", () => {
  const d = importSizeFile(NANOSIGHT);

  it("reads the number-weighted histogram of 1000 one-nm bins and the recorded dilution", () => {
    expect(d.instrument).toBe("nanosight");
    expect(d.bins).toHaveLength(1000);
    expect(d.bins[0].sizeNm).toBe(0.5);
    expect(d.dilutionFactor).toBe(1000);
    expect(d.dilutionSource).toBe("file");
    expect(d.replicates).toBe(5);
  });

  it("reproduces the instrument's reported D-values and concentration", () => {
    const s = d.summary;
    expect(s.d50Nm).toBeCloseTo(d.reported.d50Nm, -0.5);
    expect(Math.abs(s.d10Nm - d.reported.d10Nm)).toBeLessThan(2);
    expect(Math.abs(s.d90Nm - d.reported.d90Nm)).toBeLessThan(2);
    expect(Math.abs(s.meanNm - d.reported.meanNm)).toBeLessThan(2);
    expect(Math.abs(s.modeNm - d.reported.modeNm)).toBeLessThan(8);
    // NanoSight concentrations are already adjusted for the recorded dilution: not multiplied again
    expect(s.concentrationPerMl! / d.reported.concentrationPerMl).toBeGreaterThan(0.99);
    expect(s.concentrationPerMl! / d.reported.concentrationPerMl).toBeLessThan(1.01);
    expect(s.span).toBeCloseTo((s.d90Nm - s.d10Nm) / s.d50Nm, 10);
    expect(s.fraction40to200).toBeGreaterThan(0.9);
  });

  it("applies --dilution only when the file says 'Not recorded'", () => {
    const src = text(NANOSIGHT).replace(
      /^Dilution factor \(concentrations adjusted for this factor\),.*$/m,
      "Dilution factor (concentrations adjusted for this factor),Not recorded,Not recorded,Not recorded,Not recorded,Not recorded,",
    );
    const none = parseSizeExport(bytes(src), "x.csv");
    expect(none.dilutionSource).toBe("none");
    const diluted = parseSizeExport(bytes(src), "x.csv", { dilution: 50 });
    expect(diluted.dilutionSource).toBe("option");
    expect(diluted.summary.concentrationPerMl! / none.summary.concentrationPerMl!).toBeCloseTo(50, 6);
  });

  it("refuses a --dilution that contradicts the recorded one", () => {
    expect(() => importSizeFile(NANOSIGHT, { dilution: 10 })).toThrow(/records a dilution of 1000/);
  });

  it("rejects a non-numeric histogram value with its line number", () => {
    const edited = editLine(text(NANOSIGHT), "120.5,", "120.5,1.2e+9,abc,1.1e+9,1.0e+9,1.3e+9,1.1e+9,1e7,");
    const err = malformed(() => parseSizeExport(bytes(edited.text), "bad.csv"));
    expect(err).toBeInstanceOf(InputError);
    expect(err.line).toBe(edited.line);
    expect(err.message).toContain(`bad.csv line ${edited.line}`);
  });

  it("rejects a file without a [Size Data] section", () => {
    const edited = editLine(text(NANOSIGHT), "[Size Data]", "[Something else],");
    expect(malformed(() => parseSizeExport(bytes(edited.text), "bad.csv")).reason).toMatch(/\[Size Data\]/);
  });

  it("rejects bins that do not increase", () => {
    const edited = editLine(text(NANOSIGHT), "300.5,", "200.5,0,0,0,0,0,0,0,");
    const err = malformed(() => parseSizeExport(bytes(edited.text), "bad.csv"));
    expect(err.line).toBe(edited.line);
    expect(err.reason).toMatch(/must increase/);
  });
});

describe("ZetaView .txt import", () => {
  const d = importSizeFile(ZETAVIEW);

  it("reads the linear size table up to the -1 terminator and multiplies by Dilution::", () => {
    expect(d.instrument).toBe("zetaview");
    expect(d.bins).toHaveLength(200);
    expect(d.bins.at(-1)?.sizeNm).toBeCloseTo(997.5, 6);
    expect(d.dilutionFactor).toBe(2000);
    const undiluted = importSizeFile(ZETAVIEW, { format: "zetaview" });
    expect(undiluted.summary.concentrationPerMl).toBe(d.summary.concentrationPerMl);
    // the fixture was written with 1.1e8 particles/cm3 in the diluted sample
    expect(d.summary.concentrationPerMl! / 2000 / 1.1e8).toBeGreaterThan(0.95);
    expect(d.summary.concentrationPerMl! / 2000 / 1.1e8).toBeLessThan(1.05);
    expect(d.summary.d50Nm).toBeGreaterThan(125);
    expect(d.summary.d50Nm).toBeLessThan(136);
    expect(d.warnings).toEqual([]);
  });

  it("accepts decimal commas", () => {
    const src = text(ZETAVIEW).replace(/(\d)\.(\d{3}E)/g, "$1,$2");
    const c = parseSizeExport(bytes(src), "comma.txt");
    expect(c.summary.d50Nm).toBeCloseTo(d.summary.d50Nm, 6);
  });

  it("rejects a broken row and a missing header with line and reason", () => {
    const row = editLine(text(ZETAVIEW), "1.225E+2", "1.225E+2\tseven\tx\t0\t0");
    const err = malformed(() => parseSizeExport(bytes(row.text), "bad.txt"));
    expect(err.line).toBe(row.line);
    expect(err.reason).toMatch(/not a number/);
    const header = editLine(text(ZETAVIEW), "Size / nm", "Diameter\tCount");
    expect(malformed(() => parseSizeExport(bytes(header.text), "bad.txt")).reason).toMatch(/Size \/ nm/);
    const dil = editLine(text(ZETAVIEW), "Dilution::", "Dilution::\tabc");
    expect(malformed(() => parseSizeExport(bytes(dil.text), "bad.txt")).reason).toMatch(/dilution/);
  });
});

describe("plain CSV import", () => {
  it("reads size and concentration columns and applies --dilution", () => {
    const d = importSizeFile(PLAIN, { dilution: 100 });
    expect(d.instrument).toBe("csv");
    expect(d.summary.concentrationPerMl! / 100 / 3e9).toBeGreaterThan(0.95);
    expect(d.summary.modeNm).toBe(105);
  });

  it("keeps relative counts relative", () => {
    const d = parseSizeExport(bytes("size,count\n50,1\n100,5\n150,3\n200,1\n"), "counts.csv");
    expect(d.absolute).toBe(false);
    expect(d.summary.concentrationPerMl).toBeNull();
    expect(d.summary.modeNm).toBe(100);
  });

  it("names the line of a bad value", () => {
    const err = malformed(() =>
      parseSizeExport(bytes("size_nm,concentration\n50,1e8\n100,-\n150,2e8\n"), "p.csv"),
    );
    expect(err.line).toBe(3);
  });

  it("rejects a file with fewer than three bins", () => {
    expect(() => parseSizeExport(bytes("size_nm,concentration\n50,1e8\n"), "p.csv")).toThrow(/at least 3/);
  });
});
