import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NetworkValidationError } from "../../src/network/validate.ts";
import { loadNetworkYaml, parseNetworkYaml, resolveSpecies } from "../../src/network/yaml-format.ts";

const FIXTURE = new URL("../fixtures/netflux/mini-network.yaml", import.meta.url);
const text = readFileSync(FIXTURE, "utf8");

describe("ExoMI network YAML", () => {
  it("loads species and reactions with defaults, sugar and default reaction ids", () => {
    const m = loadNetworkYaml(FIXTURE.pathname);
    expect(m.name).toBe("mini network");
    expect(m.timeUnit).toBe("h");
    expect(m.species).toHaveLength(7);
    const nfkb = m.species.find((s) => s.id === "NFKB")!;
    expect(nfkb.tau).toBe(0.5);
    expect(nfkb.ymax).toBe(1);
    expect(m.species.find((s) => s.id === "PTEN")!.yinit).toBe(0.2);
    expect(m.reactions.map((r) => r.id)).toEqual(["r1", "r2", "r3", "r4", "r5", "apo_and", "r7"]);
    const r4 = m.reactions[3];
    expect(r4.reactants).toEqual([{ species: "miR21_5p", negated: true }]);
    expect(r4.W).toBe(0.8);
    expect(r4.n).toBe(1.4);
    expect(m.reactions[5]).toMatchObject({ n: 2, EC50: 0.4, product: "apoptosis" });
    expect(m.reactions[3].evidence).toEqual([{ assumption: "miR-21 represses PTEN", range: [0.5, 1] }]);
  });

  it("reports every problem at once, naming reaction id/rule and field", () => {
    const broken = text
      .replace('rule: "ischemia => NFKB"', 'rule: "ischemia => NFkappaB"')
      .replace("    W: 0.8\n", "    W: 1.5\n")
      .replace("    n: 2\n", "    n: -1\n")
      .replace("    EC50: 0.4\n", "    EC50: 1.2\n")
      .replace(
        '  - rule: "NFKB => TGFB1"\n    evidence: [{ assumption: "test edge" }]',
        '  - rule: "NFKB => TGFB1"',
      )
      .replace("  - id: PTEN", "  - id: 9PTEN")
      .replace("aliases: [PKB, AKT1]", "aliases: [PKB, p65]");
    const { problems } = parseNetworkYaml(broken);
    const lines = problems.map((p) => `${p.where} | ${p.field} | ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/reaction r3 \(ischemia => NFkappaB\) \| rule \| unknown species NFkappaB/),
        expect.stringMatching(/reaction r4 .* \| W \| 1.5/),
        expect.stringMatching(/reaction apo_and .* \| n \| -1/),
        expect.stringMatching(/reaction apo_and .* \| EC50 \| 1.2/),
        expect.stringMatching(/reaction r7 \(NFKB => TGFB1\) \| evidence/),
        expect.stringMatching(/species 9PTEN \| id/),
        expect.stringMatching(/species AKT \| aliases \| "p65" is already used by species NFKB/),
      ]),
    );
  });

  it("reports duplicate species ids, bad rules and schema errors", () => {
    const dup = text.replace("  - id: TGFB1", "  - id: AKT");
    expect(
      parseNetworkYaml(dup).problems.some((p) => p.where === "species AKT" && /duplicate/.test(p.message)),
    ).toBe(true);
    const badRule = text.replace('rule: "NFKB => TGFB1"', 'rule: "NFKB & AKT -| TGFB1"');
    const p = parseNetworkYaml(badRule).problems;
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ where: "reaction r7 (NFKB & AKT -| TGFB1)", field: "rule" });
    const typo = text.replace("    W: 0.8\n", "    weight: 0.8\n");
    expect(parseNetworkYaml(typo).problems[0]).toMatchObject({ where: "reaction r4 (miR21_5p -| PTEN)" });
    expect(parseNetworkYaml("name: [").problems[0].field).toBe("yaml");
  });

  it("throws NetworkValidationError from loadNetworkYaml when the file is invalid", () => {
    const path = "/tmp/exomi-bad-network.yaml";
    writeFileSync(path, text.replace('rule: "!PTEN => AKT"', 'rule: "!PTEN => AKTT"'));
    expect(() => loadNetworkYaml(path)).toThrow(NetworkValidationError);
  });

  it("resolves species by id, name or alias, ignoring case, separators and Greek letters", () => {
    const m = loadNetworkYaml(FIXTURE.pathname);
    expect(resolveSpecies(m, "NF-κB")?.id).toBe("NFKB");
    expect(resolveSpecies(m, "nfkb")?.id).toBe("NFKB");
    expect(resolveSpecies(m, "NF-kappaB")?.id).toBe("NFKB");
    expect(resolveSpecies(m, "p65")?.id).toBe("NFKB");
    expect(resolveSpecies(m, "TGF-beta1")?.id).toBe("TGFB1");
    expect(resolveSpecies(m, "tgf_β1")?.id).toBe("TGFB1");
    expect(resolveSpecies(m, "pkb")?.id).toBe("AKT");
    expect(resolveSpecies(m, "hsa-miR-21-5p")?.id).toBe("miR21_5p");
    expect(resolveSpecies(m, "miR-21-5p")?.id).toBe("miR21_5p");
    expect(resolveSpecies(m, "ERK")).toBeUndefined();
  });
});
