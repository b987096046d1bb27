import { InputError } from "../../core/errors.ts";

/** A line of an instrument export that cannot be read: names the file, the line and the reason. */
export class MalformedFileError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number,
    text: string,
    readonly reason: string,
  ) {
    super(`${file} line ${line}`, text.length > 80 ? `${text.slice(0, 77)}...` : text, [], reason);
    this.name = "MalformedFileError";
  }
}

/** What a format reader extracts before dilution correction and statistics. */
export interface ParsedSize {
  /** bin centres (nm) and values as printed in the file */
  bins: { sizeNm: number; value: number; line: number }[];
  /** true when values are particles/mL; false for relative counts */
  absolute: boolean;
  /** dilution recorded in the file, if any */
  fileDilution?: number;
  /** whether values in the file already include the recorded dilution (NanoSight does) */
  dilutionAlreadyApplied: boolean;
  replicates: number;
  reported: Record<string, number>;
  warnings: string[];
}

/** Lines of a text export, decoding ISO-8859-1 (both NanoSight and ZetaView write it). */
export function decodeLines(bytes: Uint8Array): string[] {
  const text = new TextDecoder(isUtf8(bytes) ? "utf-8" : "latin1").decode(bytes);
  return text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Parses a number written with a decimal point or a decimal comma ("1,5E+2"); NaN otherwise. */
export function parseNumber(raw: string | undefined): number {
  if (raw === undefined) return Number.NaN;
  const s = raw.trim();
  if (s === "") return Number.NaN;
  const normalized = /^[-+]?\d+,\d+([eE][-+]?\d+)?$/.test(s) ? s.replace(",", ".") : s;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalized)) return Number.NaN;
  return Number(normalized);
}
