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
