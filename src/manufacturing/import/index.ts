import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { InputError } from "../../core/errors.ts";
import { type Instrument, type SizeDistribution, summarize } from "../size-distribution.ts";
import { decodeLines, MalformedFileError, type ParsedSize } from "./common.ts";
import { parseNanoSight } from "./nanosight.ts";
import { parsePlainCsv } from "./plain-csv.ts";
import { parseZetaView } from "./zetaview.ts";

export { MalformedFileError } from "./common.ts";

export interface ImportOptions {
  /** force a format instead of detecting it from the content */
  format?: Instrument;
  /** dilution factor of the measured sample, when the file does not record it */
  dilution?: number;
}

/** Guesses the export format from its first lines. */
export function detectFormat(lines: string[]): Instrument {
  if (lines[0]?.startsWith("NTA Experiment Summary File")) return "nanosight";
  const head = lines.slice(0, 400);
  if (
    head.some((l) => l.trim().startsWith("Size Distribution")) &&
    head.some((l) => l.includes("Size / nm"))
  ) {
    return "zetaview";
  }
  return "csv";
}

/** Reads an NTA export (bytes) into a validated, dilution-corrected size distribution. */
export function parseSizeExport(
  bytes: Uint8Array,
  fileName: string,
  opts: ImportOptions = {},
): SizeDistribution {
  if (opts.dilution !== undefined && !(opts.dilution > 0)) {
    throw new InputError("dilution", opts.dilution, [], "must be a positive number");
  }
  const file = basename(fileName);
  const lines = decodeLines(bytes);
  const format = opts.format ?? detectFormat(lines);
  const parsed =
    format === "nanosight"
      ? parseNanoSight(lines, file)
      : format === "zetaview"
        ? parseZetaView(lines, file)
        : parsePlainCsv(lines, file);
  checkBins(parsed, file, lines);

  const { factor, source, multiplier } = resolveDilution(parsed, opts.dilution, file);
  const bins = parsed.bins.map((b) => ({ sizeNm: b.sizeNm, particlesPerMl: b.value * multiplier }));
  const warnings = [...parsed.warnings];
  if (source === "none" && parsed.absolute)
    warnings.push("dilution unknown: concentration assumes an undiluted sample");
  return {
    instrument: format,
    sourceFile: file,
    fileSha256: createHash("sha256").update(bytes).digest("hex"),
    dilutionFactor: factor,
    dilutionSource: source,
    absolute: parsed.absolute,
    replicates: parsed.replicates,
    bins,
    summary: summarize(bins, parsed.absolute),
    reported: parsed.reported,
    warnings,
  };
}

export function importSizeFile(path: string, opts: ImportOptions = {}): SizeDistribution {
  return parseSizeExport(readFileSync(path), path, opts);
}

function checkBins(parsed: ParsedSize, file: string, lines: string[]): void {
  const bins = parsed.bins;
  if (bins.length < 3) {
    const at = bins.length > 0 ? bins[bins.length - 1].line : lines.length;
    throw new MalformedFileError(
      file,
      at,
      lines[at - 1] ?? "",
      `only ${bins.length} size bins; need at least 3`,
    );
  }
  for (let i = 1; i < bins.length; i++) {
    if (!(bins[i].sizeNm > bins[i - 1].sizeNm)) {
      throw new MalformedFileError(
        file,
        bins[i].line,
        lines[bins[i].line - 1],
        `bin sizes must increase (${bins[i].sizeNm} follows ${bins[i - 1].sizeNm})`,
      );
    }
  }
  if (bins[0].sizeNm <= 0) {
    throw new MalformedFileError(file, bins[0].line, lines[bins[0].line - 1], "bin size must be positive");
  }
  if (!bins.some((b) => b.value > 0)) {
    throw new MalformedFileError(
      file,
      bins[0].line,
      lines[bins[0].line - 1],
      "every bin is empty: no particles",
    );
  }
}

function resolveDilution(
  parsed: ParsedSize,
  option: number | undefined,
  file: string,
): { factor: number; source: SizeDistribution["dilutionSource"]; multiplier: number } {
  if (parsed.fileDilution !== undefined) {
    if (option !== undefined && option !== parsed.fileDilution) {
      throw new InputError(
        "dilution",
        option,
        [String(parsed.fileDilution)],
        `${file} records a dilution of ${parsed.fileDilution}; omit --dilution or correct the file`,
      );
    }
    return {
      factor: parsed.fileDilution,
      source: "file",
      multiplier: parsed.dilutionAlreadyApplied ? 1 : parsed.fileDilution,
    };
  }
  if (option !== undefined) return { factor: option, source: "option", multiplier: option };
  return { factor: 1, source: "none", multiplier: 1 };
}
