/**
 * Exosome delivery / pharmacokinetics: route presets, species, ligands (data/routes.yaml,
 * data/species.yaml) and a linear compartment model from dose to per-cell cargo in the infarct.
 */
export { listLigands, listRoutes, loadDeliveryData, loadRoutes, loadSpecies } from "./load.ts";
export { COMPARTMENTS, type CompartmentId } from "./model.ts";
export { type ParameterEntry, parameterTable, withOverrides } from "./parameters.ts";
export {
  type DeliveryData,
  type DeliveryInput,
  type DoseInput,
  INJURY_IDS,
  type InjuryId,
  LIGAND_IDS,
  type LigandDef,
  type LigandId,
  MAX_DOSE_PARTICLES,
  MAX_DURATION_H,
  type Param,
  ROUTE_IDS,
  type RouteDef,
  type RouteId,
  SPECIES_IDS,
  type SpeciesId,
} from "./schema.ts";
export { type DeliveryResult, deliveryReadouts, type SimulateOptions, simulateDelivery } from "./simulate.ts";
