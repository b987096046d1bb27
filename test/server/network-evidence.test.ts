import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkModel } from "../../src/network/model.ts";
import { pathsFrom } from "../../src/server/network-paths.ts";
import { json, testServer } from "./helpers.ts";

let app: FastifyInstance;
beforeAll(async () => {
  app = await testServer();
});
afterAll(async () => {
  await app.close();
});

interface Err {
  error: string;
  field?: string;
  allowed?: string[];
}
interface Paths {
  source: string;
  effects: { effect: string; nodes: string[]; sign: number }[];
  nodes: string[];
  reactions: string[];
}

describe("pathsFrom", () => {
  const sp = (id: string, readout?: string) => ({ id, name: id, yinit: 0, ymax: 1, tau: 1, readout });
  const rx = (id: string, reactants: [string, boolean][], product: string) => ({
    id,
    rule: id,
    reactants: reactants.map(([species, negated]) => ({ species, negated })),
    product,
    W: 1,
    n: 1.4,
    EC50: 0.5,
  });
  // A ⊣ B → E1 → E2 (E2 only via the effect E1); A & C → D; D → E2
  const model: NetworkModel = {
    name: "toy",
    species: [sp("A"), sp("B"), sp("C"), sp("D"), sp("E1", "e1"), sp("E2", "e2"), sp("X")],
    reactions: [
      rx("r1", [["A", true]], "B"),
      rx("r2", [["B", false]], "E1"),
      rx("r3", [["E1", false]], "E2"),
      rx(
        "r4",
        [
          ["A", false],
          ["C", false],
        ],
        "D",
      ),
      rx("r5", [["D", false]], "E2"),
      rx("r6", [["X", false]], "E1"),
    ],
  };

  it("finds one shortest path per effect with the sign of its edges", () => {
    const p = pathsFrom(model, "A");
    expect(p.effects.map((e) => [e.effect, e.nodes.join(">"), e.sign])).toEqual([
      ["E1", "A>B>E1", -1],
      ["E2", "A>D>E2", 1],
    ]);
  });

  it("keeps only nodes and reactions on paths to effects, and never passes through an effect", () => {
    const p = pathsFrom(model, "A");
    expect(new Set(p.nodes)).toEqual(new Set(["A", "B", "D", "E1", "E2"]));
    expect(new Set(p.reactions)).toEqual(new Set(["r1", "r2", "r4", "r5"]));
    expect(p.reactions).not.toContain("r3");
  });

  it("returns nothing for a node that reaches no effect", () => {
    expect(pathsFrom(model, "E2")).toMatchObject({ effects: [], nodes: [], reactions: [] });
  });
});

describe("network endpoints", () => {
  it("serves the network as plain data whose reactions name existing species", async () => {
    const { body } = await json<{
      species: { id: string; module?: string }[];
      reactions: { reactants: { species: string }[]; product: string }[];
      modules: string[];
    }>(app, "GET", "/api/network");
    const ids = new Set(body.species.map((s) => s.id));
    expect(body.modules).toEqual(expect.arrayContaining(["cargo", "cardiomyocyte", "macrophage", "effect"]));
    for (const r of body.reactions) {
      expect(ids.has(r.product)).toBe(true);
      for (const x of r.reactants) expect(ids.has(x.species)).toBe(true);
    }
  });

  it("finds a node by alias and lists its inputs and outputs with evidence", async () => {
    const { status, body } = await json<{
      species: { id: string };
      inputs: { product: string; evidence?: unknown[] }[];
      outputs: unknown[];
    }>(app, "GET", `/api/network/nodes/${encodeURIComponent("NF-κB")}`);
    expect(status).toBe(200);
    expect(body.species.id).toBe("NFKB");
    expect(body.inputs.length).toBeGreaterThan(0);
    expect(body.inputs.every((r) => r.product === "NFKB")).toBe(true);
    expect(body.outputs.length).toBeGreaterThan(0);
  });

  it("answers an unknown node with 404 and the closest id", async () => {
    const { status, body } = await json<Err>(app, "GET", "/api/network/nodes/NFKX");
    expect(status).toBe(404);
    expect(body.error).toContain("NFKB");
  });

  it("traces miR-23a-3p ⊣ DMT1 to lower ferroptosis", async () => {
    const { body } = await json<Paths>(app, "GET", "/api/network/paths?from=miR-23a-3p");
    const ferro = body.effects.find((e) => e.effect === "ferroptosis");
    expect(ferro?.nodes).toContain("DMT1");
    expect(ferro?.sign).toBe(-1);
    expect(body.nodes).toContain("miR_23a_3p");
    const one = await json<Paths>(app, "GET", "/api/network/paths?from=miR-23a-3p&to=ferroptosis");
    expect(one.body.effects.map((e) => e.effect)).toEqual(["ferroptosis"]);
  });

  it("rejects a missing or unknown source and a target that is not an effect", async () => {
    expect((await json<Err>(app, "GET", "/api/network/paths")).body.field).toBe("querystring.from");
    const unknown = await json<Err>(app, "GET", "/api/network/paths?from=miR-999");
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe("query.from");
    const notEffect = await json<Err>(app, "GET", "/api/network/paths?from=miR-23a-3p&to=DMT1");
    expect(notEffect.status).toBe(400);
    expect(notEffect.body.allowed).toContain("ferroptosis");
  });
});

describe("evidence endpoints", () => {
  interface Study {
    id: string;
    table: number;
  }

  it("lists Tables 1 and 2 and filters them", async () => {
    const all = await json<{ count: number; studies: Study[] }>(app, "GET", "/api/evidence/studies");
    expect(all.body.count).toBe(46);
    const t1 = await json<{ count: number; studies: Study[] }>(app, "GET", "/api/evidence/studies?table=1");
    expect(t1.body.count).toBe(29);
    const ferro = await json<{ studies: Study[] }>(app, "GET", "/api/evidence/studies?search=ferroptosis");
    expect(ferro.body.studies.map((s) => s.id)).toContain("T1-18");
    expect(ferro.body.studies.length).toBeLessThan(10);
  });

  it("rejects a bad filter with the allowed values", async () => {
    const dog = await json<Err>(app, "GET", "/api/evidence/studies?species=dog");
    expect(dog.status).toBe(400);
    expect(dog.body.allowed).toContain("rat");
    const t3 = await json<Err>(app, "GET", "/api/evidence/studies?table=3");
    expect(t3.status).toBe(400);
    expect(t3.body.allowed).toEqual(["1", "2"]);
    const type = await json<Err>(app, "GET", "/api/evidence/entities?type=planet");
    expect(type.status).toBe(400);
    expect(type.body.allowed).toContain("pathway");
  });

  it("shows a study's claims with the network path that carries each", async () => {
    const { status, body } = await json<{
      study: { id: string };
      references: { id: string }[];
      claim_paths: { readout: string; path?: { nodes: string[] }; note?: string }[];
    }>(app, "GET", "/api/evidence/studies/T1-18");
    expect(status).toBe(200);
    expect(body.references.map((r) => r.id)).toEqual(["Song et al., 2021"]);
    const ferro = body.claim_paths.find((c) => c.readout === "ferroptosis");
    expect(ferro?.path?.nodes).toEqual(expect.arrayContaining(["miR_23a_3p", "DMT1", "ferroptosis"]));
  });

  it("answers an unknown study with 404", async () => {
    const { status, body } = await json<Err>(app, "GET", "/api/evidence/studies/T9-99");
    expect(status).toBe(404);
    expect(body.allowed).toContain("T1-01");
  });

  it("lists references as the review cites them", async () => {
    const { body } = await json<{ id: string }[]>(app, "GET", "/api/evidence/references");
    expect(body.map((r) => r.id)).toContain("Huang L. et al., 2020");
  });
});
