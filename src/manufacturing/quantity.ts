import { z } from "zod";

/**
 * A parameter value with its provenance: either a `source` (a reference key as the review cites it,
 * or a research note) or `assumption: true` with a plausible range. Data files use this shape for
 * every number so that a reader can tell measured from guessed.
 */
export const Quantity = z
  .object({
    value: z.number(),
    range: z.tuple([z.number(), z.number()]).optional(),
    unit: z.string().min(1),
    source: z.string().min(1).optional(),
    assumption: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (!q.source && !q.assumption) {
      ctx.addIssue({ code: "custom", message: "a value needs a `source` or `assumption: true`" });
    }
    if (q.assumption && !q.range) {
      ctx.addIssue({ code: "custom", message: "an assumption needs a plausible `range: [low, high]`" });
    }
    if (q.range && (q.range[0] > q.value || q.range[1] < q.value)) {
      ctx.addIssue({
        code: "custom",
        message: `value ${q.value} lies outside its range [${q.range.join(", ")}]`,
      });
    }
  });
export type Quantity = z.infer<typeof Quantity>;

/** Which end of a quantity's range to use: the central value, or the low or high end. */
export type RangeEnd = "value" | "low" | "high";

export function pick(q: Quantity, end: RangeEnd): number {
  if (end === "value" || !q.range) return q.value;
  return end === "low" ? q.range[0] : q.range[1];
}

/** Short provenance label for tables: the source, or "assumption [low–high]". */
export function provenance(q: Quantity): string {
  if (q.source) return q.source;
  return q.range ? `assumption [${q.range[0]}–${q.range[1]}]` : "assumption";
}
