import { Scenario } from "./schema.ts";

/**
 * Validates a scenario once: objects this function returned are remembered (weakly) and pass straight
 * through, so a cohort member is not re-validated by every layer it crosses (zod was ~1 ms per
 * member). Scenarios are treated as immutable throughout: derived ones are spread copies.
 */
const validated = new WeakSet<object>();
// scenarios that arrive as copies (a worker thread receives structured clones of a cohort's members,
// which mostly share one scenario): validated once per distinct content
const byContent = new Map<string, Scenario>();
const BY_CONTENT_SIZE = 64;
export function parseScenario(input: unknown): Scenario {
  if (typeof input === "object" && input !== null && validated.has(input)) return input as Scenario;
  const key = plainJsonKey(input);
  const hit = key === undefined ? undefined : byContent.get(key);
  if (hit) return hit;
  const scenario = Scenario.parse(input);
  validated.add(scenario);
  if (key !== undefined) {
    byContent.set(key, scenario);
    if (byContent.size > BY_CONTENT_SIZE) byContent.delete(byContent.keys().next().value!);
  }
  return scenario;
}

/**
 * JSON text of a value made only of plain objects, arrays, strings, booleans, null and finite numbers,
 * else undefined: JSON would map NaN, ∞, undefined, dates and other objects onto values that validate
 * differently, so such inputs are never answered from the content cache.
 */
function plainJsonKey(input: unknown): string | undefined {
  let plain = true;
  let key: string | undefined;
  try {
    key = JSON.stringify(input, function (this: Record<string, unknown>, k, v) {
      const original = k === "" ? input : this[k];
      if (typeof original === "number") {
        if (!Number.isFinite(original)) plain = false;
      } else if (typeof original === "object" && original !== null) {
        const proto = Object.getPrototypeOf(original);
        if (proto !== Object.prototype && proto !== Array.prototype) plain = false;
      } else if (typeof original !== "string" && typeof original !== "boolean" && original !== null)
        plain = false;
      return v;
    });
  } catch {
    return undefined; // BigInt, cycles
  }
  return plain ? key : undefined;
}
