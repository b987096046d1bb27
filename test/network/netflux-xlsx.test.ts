import { describe, expect, it } from "vitest";
import { compileNetwork } from "../../src/network/compile.ts";
import { importNetfluxFile, readNetfluxWorkbook, writeNetfluxXlsx } from "../../src/network/netflux-xlsx.ts";
import { networkSteadyState } from "../../src/network/simulate.ts";
import { loadNetworkYaml } from "../../src/network/yaml-format.ts";

const DIR = "/work/shared/netflux-models/";
// species / reactions / input rules as counted from the Netflux2 model files (research/netflux.md)
const MODELS = [
  { file: "exampleNet.xlsx", species: 5, reactions: 6, inputs: 2 },
  { file: "kraeutler_betaAdrenergic_bmcsysbio2010.xlsx", species: 25, reactions: 36, inputs: 5 },
  { file: "ryall_cardiomyocyte_hypertrophy_jbc2012.xlsx", species: 106, reactions: 193, inputs: 17 },
  { file: "tan_mechanosignaling_ploscb2017.xlsx", species: 94, reactions: 135, inputs: 11 },
  { file: "zeigler_fibroblast_jmcc2016.xls", species: 91, reactions: 142, inputs: 11 },
];

describe("published Netflux models", () => {
  it.each(MODELS)(
    "$file imports with the published size and no problems",
    ({ file, species, reactions, inputs }) => {
      const { model, problems } = importNetfluxFile(DIR + file);
      expect(problems).toEqual([]);
      expect(model.species).toHaveLength(species);
      expect(model.reactions).toHaveLength(reactions);
      expect(model.reactions.filter((r) => r.reactants.length === 0)).toHaveLength(inputs);
    },
  );

  it.each(MODELS)("$file reaches a finite steady state within [0, ymax] with every input on", ({ file }) => {
    const { model } = importNetfluxFile(DIR + file);
    const c = compileNetwork(model);
    model.reactions.forEach((r, j) => {
      if (r.reactants.length === 0) c.W[j] = 0.5;
    });
    const ss = networkSteadyState(c, { tol: 1e-6, tMax: 2000 });
    expect(ss.converged).toBe(true);
    ss.y.forEach((v, i) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(-1e-9);
      expect(v).toBeLessThanOrEqual(c.ymax[i] + 1e-9);
    });
  });

  it("exampleNet: switching input A on activates C and E; B on represses E through D", () => {
    const { model } = importNetfluxFile(DIR + "exampleNet.xlsx");
    const c = compileNetwork(model);
    const at = (id: string, y: Float64Array) => y[c.index.get(id)!];
    const off = networkSteadyState(c).y;
    c.W[c.reactionIndex.get("r1")!] = 1; // => A
    const aOn = networkSteadyState(c).y;
    expect(at("C", aOn)).toBeGreaterThan(at("C", off) + 0.5);
    expect(at("E", aOn)).toBeGreaterThan(at("E", off) + 0.5);
    c.W[c.reactionIndex.get("r2")!] = 1; // => B, B => D, C & !D => E
    const bothOn = networkSteadyState(c).y;
    expect(at("D", bothOn)).toBeGreaterThan(0.5);
    expect(at("E", bothOn)).toBeLessThan(at("E", aOn) - 0.3);
  });

  it("Zeigler 2016 keeps its non-default parameters (EC50 0.6, input W 0.25, tau 0.1 and 10)", () => {
    const { model, warnings } = importNetfluxFile(DIR + "zeigler_fibroblast_jmcc2016.xls");
    expect(new Set(model.reactions.map((r) => r.EC50))).toEqual(new Set([0.6]));
    expect(model.reactions.find((r) => r.rule === "=> AngII")?.W).toBe(0.25);
    expect(new Set(model.species.map((s) => s.tau))).toEqual(new Set([0.1, 1, 10]));
    expect(model.species.some((s) => s.id === "FAK")).toBe(true); // "FAK " trimmed
    expect(warnings.join("\n")).toMatch(/"\+" between reactants/);
    expect(model.reactions.find((r) => r.product === "IL6" && r.reactants.length === 2)?.rule).toBe(
      "CREB & CBP => IL6",
    );
  });
});

describe("spreadsheet round trip", () => {
  it.each(MODELS.map((m) => m.file))("%s: import → export → import gives the same model", (file) => {
    const first = importNetfluxFile(DIR + file).model;
    const again = readNetfluxWorkbook(writeNetfluxXlsx(first), first.name);
    expect(again.problems).toEqual([]);
    expect(again.model).toEqual(first);
  });

  it("an ExoMI YAML model keeps aliases, readouts and evidence through xlsx", () => {
    const m = loadNetworkYaml(new URL("../fixtures/netflux/mini-network.yaml", import.meta.url).pathname);
    const back = readNetfluxWorkbook(writeNetfluxXlsx(m), m.name).model;
    expect(back.reactions.map((r) => r.evidence)).toEqual(m.reactions.map((r) => r.evidence));
    expect(back.species.find((s) => s.id === "NFKB")?.aliases).toEqual(["RELA", "p65"]);
    expect(back.species.find((s) => s.id === "apoptosis")?.readout).toBe("apoptosis");
    // the sugar is written as plain Netflux
    expect(back.reactions[3].rule).toBe("!miR21_5p => PTEN");
    expect(back.reactions[3].reactants).toEqual(m.reactions[3].reactants);
  });

  it("fills missing parameters with Netflux defaults and reads numeric strings", async () => {
    const XLSX = (await import("xlsx")).default;
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ["Species information"],
        ["module", "ID", "name", "Yinit", "Ymax", "tau"],
        [null, "A", "a", "0", " 1 ", null],
        [],
        [null, "B", null, 0, 1, "2.5"],
      ]),
      "Species",
    );
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ["Reaction Information"],
        ["module", "ID", "rule", "weight", "n", "EC50"],
        [null, "r1", "=> A", "0.5", null, null],
        [null, null, "A => B", 1, 1.4, "0.5"],
        [null, null, null, null, null, null, "a note row"],
      ]),
      "Reactions",
    );
    const { model, warnings, problems } = readNetfluxWorkbook(
      XLSX.write(wb, { type: "buffer", bookType: "xlsx" }),
      "t",
    );
    expect(problems).toEqual([]);
    expect(model.species.map((s) => [s.id, s.name, s.yinit, s.ymax, s.tau])).toEqual([
      ["A", "a", 0, 1, 1],
      ["B", "B", 0, 1, 2.5],
    ]);
    expect(model.reactions.map((r) => [r.id, r.W, r.n, r.EC50])).toEqual([
      ["r1", 0.5, 1.4, 0.5],
      ["r4", 1, 1.4, 0.5],
    ]);
    expect(warnings.some((w) => /species A .* tau: missing; default 1/.test(w))).toBe(true);
    expect(warnings.some((w) => /no id; named r4/.test(w))).toBe(true);
  });
});
