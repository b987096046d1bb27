import { describe, expect, it } from "vitest";
import { InputError } from "../../src/cli/errors.ts";
import { type DeliveryInput, simulateDelivery } from "../../src/delivery/index.ts";

const base: DeliveryInput = {
  species: "rat",
  doses: [{ time_h: 0, dose_particles: 1e10, route: "intravenous" }],
  duration_h: 48,
};

/** Runs the input and returns the InputError it must throw. */
function inputError(input: unknown, parameters?: Record<string, number>): InputError {
  try {
    simulateDelivery(input as DeliveryInput, { parameters });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error("expected an InputError");
}
const withDose = (dose: Partial<DeliveryInput["doses"][number]>) => ({
  ...base,
  doses: [{ ...base.doses[0], ...dose }],
});

describe("delivery input errors name the field and what is allowed", () => {
  it("rejects an unknown route and lists the routes", () => {
    const e = inputError(withDose({ route: "intravenus" as never }));
    expect(e.field).toBe("doses[0].route");
    expect(e.message).toMatch(/did you mean "intravenous"/);
    expect(e.message).toMatch(/peptide-hydrogel/);
  });

  it.each([
    ["negative", -1e9],
    ["NaN", Number.NaN],
    ["infinite", Number.POSITIVE_INFINITY],
    ["absurd (> 1e15)", 1e16],
    ["zero", 0],
  ])("rejects a %s dose", (_label, dose) => {
    const e = inputError(withDose({ dose_particles: dose }));
    expect(e.field).toBe("doses[0].dose_particles");
    expect(e.message).toMatch(/0 < dose_particles ≤ 1e\+15/);
  });

  it("shows NaN as NaN, not null", () => {
    expect(inputError(withDose({ dose_particles: Number.NaN })).message).toContain('"NaN"');
  });

  it("rejects an unknown ligand and lists the ligands", () => {
    const e = inputError({ ...base, ligands: ["CHX"] });
    expect(e.field).toBe("ligands");
    expect(e.allowed).toEqual(["CHP", "IMTP", "CP05"]);
    expect(e.message).toMatch(/did you mean "CHP"/);
  });

  it("rejects unknown species and injuries", () => {
    expect(inputError({ ...base, species: "pig" }).allowed).toEqual(["mouse", "rat", "human"]);
    expect(inputError({ ...base, injury: "stroke" }).field).toBe("injury");
  });

  it("rejects dose times outside the run and bad durations", () => {
    expect(inputError(withDose({ time_h: -1 })).field).toBe("doses[0].time_h");
    expect(inputError(withDose({ time_h: 48 })).field).toBe("doses[0].time_h");
    expect(inputError({ ...base, duration_h: 0 }).field).toBe("duration_h");
    expect(inputError({ ...base, duration_h: 1e6 }).field).toBe("duration_h");
    expect(inputError({ ...base, doses: [] }).field).toBe("doses");
  });

  it("keeps in vitro and in vivo injuries apart", () => {
    expect(inputError({ ...base, injury: "hypoxia-reoxygenation" }).allowed).toContain("permanent-ligation");
    const vitro = withDose({ route: "in-vitro" });
    expect(inputError({ ...vitro, injury: "permanent-ligation" }).allowed).toEqual([
      "hypoxia-reoxygenation",
      "none",
    ]);
  });

  it("does not mix in vitro or perfusion with other routes", () => {
    const mixed = {
      ...base,
      doses: [...base.doses, { time_h: 1, dose_particles: 1e9, route: "in-vitro" as const }],
    };
    expect(inputError(mixed).message).toMatch(/cannot be combined/);
  });

  it("rejects unknown parameter overrides", () => {
    const e = inputError(base, { "routes.systemic.blood_half_life_hours": 3 });
    expect(e.field).toBe("parameters");
    expect(e.message).toMatch(/blood_half_life_min/);
  });
});
