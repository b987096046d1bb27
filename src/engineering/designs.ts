import { parse } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { readDataFile } from "../data/files.ts";
import { Therapy } from "../scenario/schema.ts";

/** Built-in designs (data/designs.yaml): one per engineered row of Tables 1-2, each a Scenario therapy. */
export const Design = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  study: z.string(),
  reference: z.string(),
  therapy: Therapy,
});
export type Design = z.infer<typeof Design>;

let cached: Design[] | undefined;

export function listDesigns(): Design[] {
  cached ??= z.object({ designs: z.array(Design) }).parse(parse(readDataFile("designs.yaml"))).designs;
  return cached;
}

export function getDesign(id: string): Design {
  const d = listDesigns().find((x) => x.id === id);
  if (!d)
    throw new InputError(
      "design",
      id,
      listDesigns().map((x) => x.id),
    );
  return d;
}
