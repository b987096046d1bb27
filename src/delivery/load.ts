import { parse } from "yaml";
import { readDataFile } from "../data/files.ts";
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

let routesCache: RoutesFile | undefined;
let speciesCache: SpeciesFile | undefined;

/** data/routes.yaml, validated (systemic parameters, injuries, ligands, route presets). Cached. */
export function loadRoutes(): RoutesFile {
  routesCache ??= RoutesFileSchema.parse(parse(readDataFile("routes.yaml")));
  return routesCache;
}

/** data/species.yaml, validated. Cached. */
export function loadSpecies(): SpeciesFile {
  speciesCache ??= SpeciesFileSchema.parse(parse(readDataFile("species.yaml")));
  return speciesCache;
}

let dataCache: DeliveryData | undefined;

/** Both files, as one object shared by every caller (never mutated: withOverrides copies). Cached. */
export function loadDeliveryData(): DeliveryData {
  dataCache ??= { routes: loadRoutes(), species: loadSpecies() };
  return dataCache;
}

export function listRoutes(): RouteDef[] {
  return loadRoutes().routes;
}

export function listLigands(): LigandDef[] {
  return loadRoutes().ligands;
}
