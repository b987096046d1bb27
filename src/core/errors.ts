import { closest } from "fastest-levenshtein";

/**
 * An input error a person can fix: names the field, the value and what is allowed.
 * The CLI prints `message` and exits 2; the HTTP API answers 400 with the same fields.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: readonly string[] = [],
    detail?: string,
  ) {
    super(InputError.compose(field, value, allowed, detail));
    this.name = "InputError";
  }

  static compose(field: string, value: unknown, allowed: readonly string[], detail?: string): string {
    const shown = typeof value === "string" ? `"${value}"` : JSON.stringify(value);
    let msg = `invalid ${field}: ${shown}`;
    if (detail) msg += ` (${detail})`;
    if (allowed.length > 0) {
      const hints = suggest(String(value), allowed);
      if (hints.length > 0) msg += `; did you mean ${hints.map((h) => `"${h}"`).join(" or ")}?`;
      const list =
        allowed.length > 40
          ? `${allowed.slice(0, 40).join(", ")}, … (${allowed.length} in all)`
          : allowed.join(", ");
      msg += `\nallowed values: ${list}`;
    }
    return msg;
  }
}

/** Up to three allowed values closest to `value`: substring matches first, then edit distance. */
export function suggest(value: string, allowed: readonly string[], max = 3): string[] {
  const v = value.toLowerCase();
  const contains = allowed.filter((a) => a.toLowerCase().includes(v) || v.includes(a.toLowerCase()));
  const out = new Set<string>(contains.slice(0, max));
  const pool = [...allowed];
  while (out.size < max && pool.length > 0) {
    const c = closest(value, pool);
    out.add(c);
    pool.splice(pool.indexOf(c), 1);
    if (out.size >= 1 && contains.length === 0) break;
  }
  return [...out].slice(0, max);
}

/** The fields of a zod issue that say what was wrong and what is allowed (zod v4 issue shapes). */
interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  values?: unknown[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
}

/**
 * An InputError from a schema issue about `input`: the field as a person writes it
 * (`therapy.doses[0].route`, under `prefix`), the offending value itself (not the file it came from),
 * the allowed values of an enum, or the allowed range of a number.
 */
export function inputErrorFromIssue(
  issue: ZodLikeIssue,
  input: unknown,
  prefix = "",
  where?: string,
): InputError {
  const field = issue.path.reduce<string>(
    (f, k) => (typeof k === "number" ? `${f}[${k}]` : f ? `${f}.${String(k)}` : String(k)),
    prefix,
  );
  let value: unknown = input;
  for (const k of issue.path)
    value = value && typeof value === "object" ? (value as never)[k as never] : undefined;
  const allowed = Array.isArray(issue.values) ? issue.values.map(String) : [];
  let detail = issue.message;
  // a bound the schema's own message does not state yet
  if ((issue.code === "too_small" || issue.code === "too_big") && !/allowed/.test(detail)) {
    const n = (x: number | bigint) => (Math.abs(Number(x)) >= 1e6 ? Number(x).toExponential() : String(x));
    const lo = issue.minimum !== undefined ? `${issue.inclusive ? "≥" : ">"} ${n(issue.minimum)}` : "";
    const hi = issue.maximum !== undefined ? `${issue.inclusive ? "≤" : "<"} ${n(issue.maximum)}` : "";
    detail += `; allowed: ${field} ${lo || hi}`;
  }
  if (where) detail += ` in ${where}`;
  return new InputError(field || "(root)", value === undefined ? "(missing)" : value, allowed, detail);
}
