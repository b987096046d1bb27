import { createWriteStream } from "node:fs";
import PDFDocument from "pdfkit";
import { type BatchRecord, particlesPerMl } from "./batch.ts";
import { checkMisev2023, type MisevReport } from "./misev.ts";
import { purityRatio } from "./purity.ts";
import { evaluateRelease, type ReleaseReport, type ReleaseSpec } from "./release-spec.ts";
import type { SizeBin } from "./size-distribution.ts";

/** Everything a certificate of analysis shows, computed once for both HTML and PDF. */
export interface CoaContent {
  batch: BatchRecord;
  version: number;
  recordSha256: string;
  issuedAt: string;
  release: ReleaseReport;
  misev: MisevReport;
  facts: [string, string][];
  histogram: { sizeNm: number; fraction: number }[] | null;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") {
    if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-2)) return v.toExponential(2);
    return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 3 : 1);
  }
  return String(v);
}

/** Regroups bins into `width`-nm bars up to `maxNm` as fractions of all particles, for plotting. */
export function histogramBars(
  bins: readonly SizeBin[],
  width = 10,
  maxNm = 500,
): { sizeNm: number; fraction: number }[] {
  const total = bins.reduce((s, b) => s + b.particlesPerMl, 0);
  const bars = Array.from({ length: Math.ceil(maxNm / width) }, (_, i) => ({
    sizeNm: (i + 0.5) * width,
    fraction: 0,
  }));
  for (const b of bins) {
    const i = Math.floor(b.sizeNm / width);
    if (i < bars.length && total > 0) bars[i].fraction += b.particlesPerMl / total;
  }
  return bars;
}

export function coaContent(
  batch: BatchRecord,
  meta: { version: number; recordSha256: string },
  spec: ReleaseSpec,
  issuedAt = new Date().toISOString(),
): CoaContent {
  const sd = batch.sizeDistribution;
  const p = particlesPerMl(batch);
  const purity = p && batch.protein ? purityRatio(p, batch.protein.ugPerMl) : null;
  const facts: [string, string][] = [
    ["Product", batch.product],
    ["Batch", `${batch.id} (record version ${meta.version})`],
    ["Source", `${batch.source.cellType}, donor ${batch.source.donor}, passage ${batch.source.passage}`],
    ["Culture", batch.source.cultureConditions ?? "—"],
    ["Preconditioning", batch.source.preconditioning ?? "—"],
    ["Isolation", `${batch.isolation.method}${batch.isolation.date ? `, ${batch.isolation.date}` : ""}`],
    ["Particles/mL", formatValue(p)],
    [
      "Protein",
      batch.protein ? `${formatValue(batch.protein.ugPerMl)} µg/mL (${batch.protein.method})` : "—",
    ],
    ["Purity", purity ? `${purity.particlesPerUg.toExponential(2)} particles/µg (${purity.class})` : "—"],
  ];
  if (sd) {
    const s = sd.summary;
    facts.push(
      [
        "Size (NTA)",
        `mode ${s.modeNm.toFixed(1)} nm, mean ${s.meanNm.toFixed(1)} nm, D10/D50/D90 ${s.d10Nm.toFixed(0)}/${s.d50Nm.toFixed(0)}/${s.d90Nm.toFixed(0)} nm, span ${s.span.toFixed(2)}`,
      ],
      ["40–200 nm", `${(s.fraction40to200 * 100).toFixed(1)} % of particles`],
      [
        "Size data",
        `${sd.instrument} ${sd.sourceFile}, dilution ${sd.dilutionFactor} (${sd.dilutionSource}), sha256 ${sd.fileSha256.slice(0, 16)}…`,
      ],
    );
  }
  return {
    batch,
    version: meta.version,
    recordSha256: meta.recordSha256,
    issuedAt,
    release: evaluateRelease(batch, spec),
    misev: checkMisev2023(batch),
    facts,
    histogram: sd ? histogramBars(sd.bins) : null,
  };
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** Inline SVG bar chart of the number-weighted size distribution. */
export function histogramSvg(bars: { sizeNm: number; fraction: number }[], w = 560, h = 220): string {
  const pad = { l: 48, r: 10, t: 10, b: 34 };
  const maxF = Math.max(...bars.map((b) => b.fraction), 1e-9);
  const bw = (w - pad.l - pad.r) / bars.length;
  const y = (f: number) => pad.t + (h - pad.t - pad.b) * (1 - f / maxF);
  const rects = bars
    .map((b, i) => {
      const top = y(b.fraction);
      return `<rect x="${(pad.l + i * bw).toFixed(1)}" y="${top.toFixed(1)}" width="${(bw * 0.9).toFixed(1)}" height="${(h - pad.b - top).toFixed(1)}" fill="#3b6ea5"/>`;
    })
    .join("");
  const ticks = [0, 100, 200, 300, 400, 500]
    .map((nm) => {
      const x = pad.l + (nm / 500) * (w - pad.l - pad.r);
      return `<line x1="${x}" y1="${h - pad.b}" x2="${x}" y2="${h - pad.b + 4}" stroke="#333"/><text x="${x}" y="${h - pad.b + 16}" font-size="10" text-anchor="middle">${nm}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="size distribution">${rects}<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#333"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${h - pad.b}" stroke="#333"/>${ticks}<text x="${w / 2}" y="${h - 4}" font-size="11" text-anchor="middle">size (nm)</text><text x="12" y="${h / 2}" font-size="11" transform="rotate(-90 12 ${h / 2})" text-anchor="middle">% of particles</text><text x="${pad.l - 4}" y="${pad.t + 8}" font-size="10" text-anchor="end">${(maxF * 100).toFixed(1)}</text></svg>`;
}

export function coaHtml(c: CoaContent): string {
  const row = (cells: string[], tag = "td") =>
    `<tr>${cells.map((x) => `<${tag}>${esc(x)}</${tag}>`).join("")}</tr>`;
  const verdictClass = (v: string) =>
    v === "pass" || v === "met" || v === "release"
      ? "ok"
      : v === "missing" || v === "incomplete"
        ? "warn"
        : "bad";
  const results = c.release.results
    .map(
      (r) =>
        `<tr><td>${esc(r.description)}</td><td>${esc(r.acceptance)}</td><td>${esc(formatValue(r.value))}</td><td class="${verdictClass(r.verdict)}">${r.verdict}${r.required ? "" : " (optional)"}</td></tr>`,
    )
    .join("");
  const misev = c.misev.requirements
    .map(
      (r) =>
        `<tr><td>${esc(r.requirement)}</td><td>${esc(r.detail)}</td><td class="${verdictClass(r.verdict)}">${r.verdict}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Certificate of analysis ${esc(c.batch.id)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;color:#222}
table{border-collapse:collapse;width:100%;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:14px}
th{background:#f2f2f2}.ok{color:#0a6b2d;font-weight:600}.warn{color:#9a6700;font-weight:600}.bad{color:#b00020;font-weight:600}
.decision{font-size:1.3em;padding:0.4em 0.8em;display:inline-block;border:2px solid currentColor}
</style></head><body>
<h1>Certificate of analysis</h1>
<p>${esc(c.batch.product)} — batch <strong>${esc(c.batch.id)}</strong>. Issued ${esc(c.issuedAt)}.</p>
<p class="decision ${verdictClass(c.release.decision)}">Disposition: ${c.release.decision.toUpperCase()}</p>
<h2>Batch</h2><table>${c.facts.map(([k, v]) => row([k, v])).join("")}</table>
${c.histogram ? `<h2>Size distribution</h2>${histogramSvg(c.histogram)}` : "<p>No size distribution imported.</p>"}
<h2>Release specification: ${esc(c.release.spec)} v${esc(c.release.version)}</h2>
<table>${row(["Test", "Acceptance", "Result", "Verdict"], "th")}${results}</table>
<h2>${esc(c.misev.guideline)}: <span class="${verdictClass(c.misev.verdict)}">${c.misev.verdict}</span></h2>
<table>${row(["Requirement", "Evidence", "Verdict"], "th")}${misev}</table>
<p><small>Record sha256 ${esc(c.recordSha256)}. Generated by ExoMI from the audited batch record; verify with <code>exomi qc verify-audit</code>.</small></p>
</body></html>
`;
}

/** Writes the CoA as a PDF; the histogram is drawn with pdfkit's vector API. */
/**
 * PDF standard fonts (Helvetica) only encode WinAnsi: spell out the few symbols the specification uses
 * that it lacks (≥, ≤, σ), so the PDF says what the HTML says.
 */
export function pdfSafe(text: string): string {
  return text
    .replace(/≥/g, ">=")
    .replace(/≤/g, "<=")
    .replace(/σ/g, "sigma")
    .replace(/[^\t\n\r\u0020-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, "?");
}

export function writeCoaPdf(c: CoaContent, file: string): Promise<void> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 50,
    info: { Title: `Certificate of analysis ${c.batch.id}` },
  });
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    out.on("finish", () => resolve());
    out.on("error", reject);
    doc.pipe(out);
  });
  const left = 50;
  const width = doc.page.width - 100;
  const color = (v: string) =>
    v === "pass" || v === "met" || v === "release"
      ? "#0a6b2d"
      : v === "missing" || v === "incomplete"
        ? "#9a6700"
        : "#b00020";
  const ensureSpace = (h: number) => {
    if (doc.y + h > doc.page.height - 60) doc.addPage();
  };

  doc.font("Helvetica-Bold").fontSize(18).text("Certificate of analysis", left);
  doc.font("Helvetica").fontSize(10).text(`${c.batch.product}, batch ${c.batch.id}. Issued ${c.issuedAt}.`);
  doc.moveDown(0.5);
  doc
    .font("Helvetica-Bold")
    .fontSize(14)
    .fillColor(color(c.release.decision))
    .text(`Disposition: ${c.release.decision.toUpperCase()}`);
  doc.fillColor("black").moveDown(0.5);

  const table = (rows: string[][], widths: number[], header?: string[]) => {
    const draw = (cells: string[], bold: boolean, colorOf?: (i: number) => string) => {
      doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
      const heights = cells.map((t, i) => doc.heightOfString(t, { width: widths[i] - 6 }));
      const h = Math.max(...heights) + 6;
      ensureSpace(h);
      const y = doc.y;
      let x = left;
      cells.forEach((t, i) => {
        doc.rect(x, y, widths[i], h).strokeColor("#bbbbbb").stroke();
        doc.fillColor(colorOf?.(i) ?? "black").text(pdfSafe(t), x + 3, y + 3, { width: widths[i] - 6 });
        x += widths[i];
      });
      doc.fillColor("black");
      doc.x = left;
      doc.y = y + h;
    };
    if (header) draw(header, true);
    for (const r of rows)
      draw(r, false, (i) => (i === r.length - 1 && header ? color(r[i].split(" ")[0]) : "black"));
    doc.moveDown(0.8);
  };

  doc.font("Helvetica-Bold").fontSize(12).text("Batch", left);
  table(
    c.facts.map(([k, v]) => [k, v]),
    [110, width - 110],
  );

  if (c.histogram) {
    ensureSpace(200);
    doc.font("Helvetica-Bold").fontSize(12).text("Size distribution (number-weighted)", left);
    const x0 = left + 40;
    const y0 = doc.y + 10;
    const w = width - 60;
    const h = 140;
    const maxF = Math.max(...c.histogram.map((b) => b.fraction), 1e-9);
    const bw = w / c.histogram.length;
    c.histogram.forEach((b, i) => {
      const bh = (b.fraction / maxF) * h;
      if (bh > 0) doc.rect(x0 + i * bw, y0 + h - bh, bw * 0.9, bh).fill("#3b6ea5");
    });
    doc.fillColor("black").strokeColor("#333333");
    doc
      .moveTo(x0, y0)
      .lineTo(x0, y0 + h)
      .lineTo(x0 + w, y0 + h)
      .stroke();
    doc.font("Helvetica").fontSize(8);
    for (const nm of [0, 100, 200, 300, 400, 500]) {
      const x = x0 + (nm / 500) * w;
      doc
        .moveTo(x, y0 + h)
        .lineTo(x, y0 + h + 3)
        .stroke();
      doc.text(String(nm), x - 10, y0 + h + 5, { width: 20, align: "center" });
    }
    doc.text(`${(maxF * 100).toFixed(1)}%`, x0 - 38, y0 - 3, { width: 34, align: "right" });
    doc.text("0", x0 - 38, y0 + h - 4, { width: 34, align: "right" });
    doc.text("size (nm)", x0, y0 + h + 16, { width: w, align: "center" });
    doc.x = left;
    doc.y = y0 + h + 34;
  }

  ensureSpace(60);
  doc
    .font("Helvetica-Bold")
    .fontSize(12)
    .text(pdfSafe(`Release specification: ${c.release.spec} v${c.release.version}`), left);
  table(
    c.release.results.map((r) => [
      r.description,
      r.acceptance,
      formatValue(r.value),
      `${r.verdict}${r.required ? "" : " (optional)"}`,
    ]),
    [170, 130, 100, width - 400],
    ["Test", "Acceptance", "Result", "Verdict"],
  );
  ensureSpace(60);
  doc
    .font("Helvetica-Bold")
    .fontSize(12)
    .text(pdfSafe(`${c.misev.guideline}: ${c.misev.verdict}`), left);
  table(
    c.misev.requirements.map((r) => [r.requirement, r.detail, r.verdict]),
    [220, 200, width - 420],
    ["Requirement", "Evidence", "Verdict"],
  );
  ensureSpace(80);
  doc
    .font("Helvetica")
    .fontSize(8)
    .text(`Record sha256 ${c.recordSha256}. Verify with \`exomi qc verify-audit\`.`, left);
  doc.moveDown(2);
  doc.fontSize(10).text("QC reviewed by: ____________________   Date: __________", left);
  doc.moveDown(1);
  doc.text("QA released by: ____________________   Date: __________", left);
  doc.end();
  return done;
}
