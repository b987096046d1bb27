import { MalformedFileError, type ParsedSize, parseNumber } from "./common.ts";

/**
 * Malvern NanoSight NTA 3.x `*-ExperimentSummary.csv` (layout in research/qc.md §4). Row offsets
 * differ between software versions and autosampler exports, so the reader walks section markers:
 * `[Results]` (dilution, concentration), `[Size Data]` (reported mean/mode/D-values) and the first
 * `Graph Data` block after it (number-weighted histogram, 1 nm bins). Concentrations in this file are
 * already adjusted for the recorded dilution factor.
 */
export function parseNanoSight(lines: string[], file: string): ParsedSize {
  const cells = (i: number) => lines[i].split(",").map((c) => c.trim());
  const fail = (i: number, reason: string): never => {
    throw new MalformedFileError(file, i + 1, lines[i] ?? "", reason);
  };
  if (!lines[0]?.startsWith("NTA Experiment Summary File")) {
    fail(0, "a NanoSight export starts with 'NTA Experiment Summary File'");
  }
  const find = (label: string, from = 0, until = lines.length) => {
    for (let i = from; i < until; i++) if (cells(i)[0] === label) return i;
    return -1;
  };
  const warnings: string[] = [];
  const reported: Record<string, number> = {};

  const results = find("[Results]");
  if (results < 0) fail(lines.length - 1, "no [Results] section");
  const resultsHeader = cells(results);
  const avgCol = resultsHeader.indexOf("Average");
  let fileDilution: number | undefined;
  const sizeData = find("[Size Data]", results);
  if (sizeData < 0) fail(lines.length - 1, "no [Size Data] section");
  for (let i = results + 1; i < sizeData; i++) {
    const row = cells(i);
    if (row[0]?.startsWith("[")) break;
    if (row[0]?.startsWith("Dilution factor")) {
      const values = row.slice(1, avgCol > 0 ? avgCol : undefined).filter((v) => v !== "");
      const numeric = values.map(parseNumber).filter((v) => Number.isFinite(v));
      if (numeric.length > 0) {
        if (numeric.some((v) => v !== numeric[0])) fail(i, "videos record different dilution factors");
        if (!(numeric[0] > 0)) fail(i, "dilution factor must be positive");
        fileDilution = numeric[0];
      } else if (values.some((v) => v !== "Not recorded")) {
        fail(i, "dilution factor is neither a number nor 'Not recorded'");
      }
    }
    if (row[0] === "Concentration (Particles / ml)" && avgCol > 0) {
      const c = parseNumber(row[avgCol]);
      if (Number.isFinite(c)) reported.concentrationPerMl = c;
    }
  }

  const weighting = find("Weighting", sizeData);
  if (weighting >= 0 && cells(weighting)[1] !== "Number") {
    fail(weighting, `first size block is weighted by '${cells(weighting)[1]}', expected 'Number'`);
  }
  const sizeHeader = find("Filename", sizeData);
  const graph = find("Graph Data", sizeData);
  if (graph < 0) fail(lines.length - 1, "no 'Graph Data' block after [Size Data]");
  if (sizeHeader >= 0 && sizeHeader < graph) {
    const avg = cells(sizeHeader).indexOf("Average");
    for (let i = sizeHeader + 1; i < graph; i++) {
      const row = cells(i);
      const key = { Mean: "meanNm", Mode: "modeNm", SD: "sdNm", D10: "d10Nm", D50: "d50Nm", D90: "d90Nm" }[
        row[0]
      ];
      if (key && avg > 0 && Number.isFinite(parseNumber(row[avg]))) reported[key] = parseNumber(row[avg]);
    }
  }

  const headerIdx = graph + 1;
  const header = cells(headerIdx);
  if (!header[0]?.startsWith("Bin centre"))
    fail(headerIdx, "expected the 'Bin centre (nm)' header after 'Graph Data'");
  const videoCols: number[] = [];
  let averageCol = -1;
  header.forEach((h, j) => {
    if (h === "Concentration average") averageCol = j;
    else if (h.startsWith("Concentration")) videoCols.push(j);
  });
  if (videoCols.length === 0 && averageCol < 0)
    fail(headerIdx, "no concentration columns in the histogram header");

  const bins: ParsedSize["bins"] = [];
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const row = cells(i);
    if (row.every((c) => c === "") || row[0] === "Percentile") break;
    const size = parseNumber(row[0]);
    if (!Number.isFinite(size)) fail(i, `bin centre '${row[0]}' is not a number`);
    const vs = videoCols.map((j) => parseNumber(row[j]));
    const bad = vs.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      fail(i, `concentration '${row[videoCols[bad]] ?? ""}' in column ${videoCols[bad] + 1} is not a number`);
    let value = vs.reduce((a, b) => a + b, 0) / Math.max(1, vs.length);
    if (averageCol >= 0) {
      value = parseNumber(row[averageCol]);
      if (!Number.isFinite(value))
        fail(i, `'Concentration average' value '${row[averageCol] ?? ""}' is not a number`);
    }
    if (value < 0) fail(i, `negative concentration ${value}`);
    bins.push({ sizeNm: size, value, line: i + 1 });
  }
  if (fileDilution === undefined) warnings.push("dilution factor not recorded in the NanoSight file");
  return {
    bins,
    absolute: true,
    fileDilution,
    dilutionAlreadyApplied: true,
    replicates: Math.max(1, videoCols.length),
    reported,
    warnings,
  };
}
