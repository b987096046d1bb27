import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import {
  type DeliveryData,
  type LigandDef,
  type RouteDef,
  type RoutesFile,
  RoutesFileSchema,
  type SpeciesFile,
  SpeciesFileSchema,
} from "./schema.ts";

// Resolved from this module, not from the working directory, so the CLI and tests work from anywhere.
const ROUTES_URL = new URL("../../data/routes.yaml", import.meta.url);
const SPECIES_URL = new URL("../../data/species.yaml", import.meta.url);

let routesCache: RoutesFile | undefined;
let speciesCache: SpeciesFile | undefined;

/** data/routes.yaml, validated (systemic parameters, injuries, ligands, route presets). Cached. */
export function loadRoutes(): RoutesFile {
  routesCache ??= RoutesFileSchema.parse(parse(readFileSync(fileURLToPath(ROUTES_URL), "utf8")));
  return routesCache;
}

/** data/species.yaml, validated. Cached. */
export function loadSpecies(): SpeciesFile {
  speciesCache ??= SpeciesFileSchema.parse(parse(readFileSync(fileURLToPath(SPECIES_URL), "utf8")));
  return speciesCache;
}

export function loadDeliveryData(): DeliveryData {
  return { routes: loadRoutes(), species: loadSpecies() };
}

export function listRoutes(): RouteDef[] {
  return loadRoutes().routes;
}

export function listLigands(): LigandDef[] {
  return loadRoutes().ligands;
}
