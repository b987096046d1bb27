import type { Evidence } from "./model.ts";

/**
 * Evidence as text in one spreadsheet cell, one entry per line, readable by a biologist:
 *   ref: Zhu et al., 2021
 *   source: research/netflux.md: defaults // a note
 *   assumption: weaker than the direct edge [0.5, 1]
 */
export function evidenceToText(evidence: readonly Evidence[]): string {
  return evidence
    .map((e) => {
      if ("ref" in e) return `ref: ${e.ref}${e.note ? ` // ${e.note}` : ""}`;
      if ("source" in e) return `source: ${e.source}${e.note ? ` // ${e.note}` : ""}`;
      return `assumption: ${e.assumption}${e.range ? ` [${e.range[0]}, ${e.range[1]}]` : ""}`;
    })
    .join("\n");
}

/** Inverse of evidenceToText; lines that do not start with a known kind become `source` entries. */
export function evidenceFromText(text: string): Evidence[] {
  const out: Evidence[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    const m = /^(ref|source|assumption):\s*(.*)$/.exec(line);
    if (!m) {
      out.push({ source: line });
      continue;
    }
    const [, kind, rest] = m;
    if (kind === "assumption") {
      const r = /^(.*?)\s*\[\s*(-?[\d.eE+-]+)\s*,\s*(-?[\d.eE+-]+)\s*\]$/.exec(rest);
      out.push(r ? { assumption: r[1], range: [Number(r[2]), Number(r[3])] } : { assumption: rest });
    } else {
      const [body, ...note] = rest.split(" // ");
      const entry = kind === "ref" ? { ref: body } : { source: body };
      out.push(note.length > 0 ? { ...entry, note: note.join(" // ") } : entry);
    }
  }
  return out;
}
