import { MalformedFileError, type ParsedSize, parseNumber } from "./common.ts";

/**
 * Particle Metrix ZetaView `.txt` export (research/qc.md §4; evidence from public parsers): a
 * `Key:<tab>value` header including `Dilution::`, then a `Size Distribution` line, the tab-separated
 * header `Size / nm  Number  Concentration / cm-3  Volume / nm^3  Area / nm^2`, and rows ending at a
 * row whose first value is -1 (a second, log-binned block may follow and is ignored). Decimal commas
 * are accepted. Concentrations are per cm³ (= per mL) of the diluted sample: multiply by the dilution.
 */
export function parseZetaView(lines: string[], file: string): ParsedSize {
  const fail = (i: number, reason: string): never => {
    throw new MalformedFileError(file, i + 1, lines[i] ?? "", reason);
  };
  const warnings: string[] = [];
  let fileDilution: number | undefined;
  let section = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const dil = /^Dilution::?\s*(.*)$/.exec(line);
    if (dil && fileDilution === undefined) {
      const v = parseNumber(dil[1].split("\t")[0]);
      if (!(v > 0)) fail(i, `dilution '${dil[1].trim()}' is not a positive number`);
      fileDilution = v;
    }
    if (line.startsWith("Size Distribution")) {
      section = i;
      break;
    }
  }
  if (section < 0) fail(lines.length - 1, "no 'Size Distribution' section; is this a ZetaView .txt export?");
  let headerIdx = section + 1;
  while (headerIdx < lines.length && lines[headerIdx].trim() === "") headerIdx++;
  const header = (lines[headerIdx] ?? "").split("\t").map((h) => h.trim());
  const sizeCol = header.findIndex((h) => h.startsWith("Size / nm"));
  const concCol = header.findIndex((h) => h.startsWith("Concentration"));
  const numberCol = header.indexOf("Number");
  if (sizeCol < 0 || concCol < 0)
    fail(headerIdx, "expected header 'Size / nm<TAB>Number<TAB>Concentration / cm-3…'");

  const bins: ParsedSize["bins"] = [];
  let terminated = false;
  for (let i = headerIdx + 1; i < lines.length; i++) {
    if (lines[i].trim() === "") break;
    const row = lines[i].split("\t");
    const size = parseNumber(row[sizeCol]);
    if (size === -1) {
      terminated = true;
      break;
    }
    if (!Number.isFinite(size)) fail(i, `size '${row[sizeCol] ?? ""}' is not a number`);
    const conc = parseNumber(row[concCol]);
    if (!Number.isFinite(conc)) fail(i, `concentration '${row[concCol] ?? ""}' is not a number`);
    if (numberCol >= 0 && !Number.isFinite(parseNumber(row[numberCol]))) {
      fail(i, `number '${row[numberCol] ?? ""}' is not a number`);
    }
    if (conc < 0) fail(i, `negative concentration ${conc}`);
    bins.push({ sizeNm: size, value: conc, line: i + 1 });
  }
  if (!terminated) warnings.push("size table did not end with the -1 terminator row; file may be truncated");
  if (fileDilution === undefined) warnings.push("no 'Dilution::' line in the ZetaView file");
  return {
    bins,
    absolute: true,
    fileDilution,
    dilutionAlreadyApplied: false,
    replicates: 1,
    reported: {},
    warnings,
  };
}
