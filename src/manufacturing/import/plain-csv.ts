import { MalformedFileError, type ParsedSize, parseNumber } from "./common.ts";

/**
 * A plain table with a header: a size column (`size_nm`, `size`, `diameter`, `bin centre`) and either
 * a concentration column (particles/mL per bin) or a count column (`count`, `number`, `frequency`)
 * giving a relative histogram. Comma, semicolon or tab separated; `#` lines are comments.
 */
export function parsePlainCsv(lines: string[], file: string): ParsedSize {
  const fail = (i: number, reason: string): never => {
    throw new MalformedFileError(file, i + 1, lines[i] ?? "", reason);
  };
  let headerIdx = lines.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (headerIdx < 0) headerIdx = 0;
  const headerLine = lines[headerIdx] ?? "";
  const delimiter = ["\t", ";", ","].find((d) => headerLine.includes(d));
  if (!delimiter) fail(headerIdx, "header needs at least two columns (size and concentration or count)");
  const split = (l: string) => l.split(delimiter as string).map((c) => c.trim().replace(/^"|"$/g, ""));
  const header = split(headerLine).map((h) => h.toLowerCase());
  const sizeCol = header.findIndex((h) => /^(size|diameter|bin)/.test(h));
  const concCol = header.findIndex((h) => h.includes("conc"));
  const countCol = header.findIndex((h) => /^(count|counts|number|frequency|particles)\b/.test(h));
  if (sizeCol < 0) fail(headerIdx, "no size column (size_nm, size, diameter or bin centre)");
  const valueCol = concCol >= 0 ? concCol : countCol;
  if (valueCol < 0) fail(headerIdx, "no concentration or count column");

  const bins: ParsedSize["bins"] = [];
  for (let i = headerIdx + 1; i < lines.length; i++) {
    if (lines[i].trim() === "" || lines[i].trimStart().startsWith("#")) continue;
    const row = split(lines[i]);
    const size = parseNumber(row[sizeCol]);
    if (!Number.isFinite(size)) fail(i, `size '${row[sizeCol] ?? ""}' is not a number`);
    const value = parseNumber(row[valueCol]);
    if (!Number.isFinite(value)) fail(i, `${header[valueCol]} '${row[valueCol] ?? ""}' is not a number`);
    if (value < 0) fail(i, `negative ${header[valueCol]} ${value}`);
    bins.push({ sizeNm: size, value, line: i + 1 });
  }
  return {
    bins,
    absolute: concCol >= 0,
    dilutionAlreadyApplied: false,
    replicates: 1,
    reported: {},
    warnings: concCol >= 0 ? [] : ["relative counts only: no particle concentration"],
  };
}
