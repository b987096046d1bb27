/**
 * Closed vocabularies shared by the knowledge base, the simulator and the web app: readout ids
 * for structured claims, entity types, species and injury models. Data files may only use these.
 */

/** Cellular processes the review names as therapeutic effects (Figure 2, §4.1–4.7). */
export const EFFECT_READOUTS = [
  "apoptosis",
  "pyroptosis",
  "ferroptosis",
  "angiogenesis",
  "inflammation",
  "m2_polarization",
  "m1_polarization",
  "fibrosis",
  "oxidative_stress",
  "cm_proliferation",
  "senescence",
  "er_stress",
  "mitophagy",
  "myofibroblast",
  "ecm_remodeling",
  "endothelial_proliferation",
  "endothelial_migration",
  "tube_formation",
] as const;

/** Tissue- and organ-level outputs (Figure 2 bottom panel; Table 1 "Major findings"). */
export const TISSUE_READOUTS = [
  "lvef",
  "fractional_shortening",
  "infarct_size",
  "lvedd",
  "capillary_density",
  "collagen_fraction",
  "cardiac_retention",
  /** function reported without a named index ("cardiac function", "contractility") */
  "cardiac_function",
  /** repair reported without a named index ("myocardial repair", "MI repair") */
  "cardiac_repair",
  "graft_function",
  "exosome_release_duration",
] as const;

/** Molecular nodes read out in the studies; ids match entity ids in data/entities.yaml. */
export const MOLECULAR_READOUTS = [
  "BCL2",
  "SMAD7",
  "SOD",
  "GSH",
  "AKT",
  "NLRP3",
  "CASP1",
  "CASP3",
  "IL1B",
  "NFKB",
  "PDGFD",
  "SFRP2",
  "DMT1",
  "LIPID_PEROX",
  "IRON",
  "CDK6",
  "SOX6",
  "JNK3",
  "MIR143",
  "MIR133A_3P",
  "PLCB3",
  "FOXO3",
  "SUFU",
  "PRSS23",
  "SNAIL",
  "ALPHA_SMA",
  "EGR1",
  "APAF1",
  "RB1",
  "NCL",
  "P53",
  "P21",
  "P16",
] as const;

/** Safety readouts (Sun et al., 2016) and the review's generalizations about engineered designs. */
export const SAFETY_AND_TRANSLATIONAL_READOUTS = [
  "hemolysis",
  "vascular_irritation",
  "anaphylaxis",
  "potency_consistency",
  "pathway_specificity",
  "therapeutic_duration",
  "administration_frequency",
  "off_target_effects",
  "effective_dose",
  "therapeutic_index",
] as const;

export const READOUTS = [
  ...EFFECT_READOUTS,
  ...TISSUE_READOUTS,
  ...MOLECULAR_READOUTS,
  ...SAFETY_AND_TRANSLATIONAL_READOUTS,
] as const;
export type Readout = (typeof READOUTS)[number];

export const DIRECTIONS = ["increase", "decrease", "no-change"] as const;
export const COMPARISONS = ["vs-untreated", "vs-native-exosomes", "vs-control"] as const;

export const ENTITY_TYPES = [
  "mirna",
  "lncrna",
  "circrna",
  "sirna",
  "protein",
  "gene",
  "pathway",
  "process",
  "effect",
  "cell_type",
  "route",
  "material",
  "peptide",
  "cytokine",
  "marker",
  "outcome",
  "readout",
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Species of the animals (in vivo) or of the cell line (in vitro). */
export const SPECIES = {
  rat: { name: "Rat", aliases: ["rats", "Rattus norvegicus"] },
  mouse: { name: "Mouse", aliases: ["mice", "murine", "Mus musculus"] },
  rabbit: { name: "Rabbit", aliases: ["rabbits"] },
  guinea_pig: { name: "Guinea pig", aliases: ["guinea pigs", "guinea-pig"] },
  human: { name: "Human", aliases: ["Homo sapiens", "human cells"] },
} as const;
export type Species = keyof typeof SPECIES;
export const SPECIES_IDS = Object.keys(SPECIES) as Species[];

/**
 * Injury models. The review writes "AMI model", "MI model" and "LAD ligation model"; all three are
 * taken as permanent coronary ligation (the usual rodent MI model) — an interpretation, noted here.
 */
export const INJURY_MODELS = {
  ami_ligation: {
    name: "Acute MI by coronary ligation",
    aliases: ["AMI", "MI", "acute MI", "acute myocardial infarction", "LAD ligation", "ligation"],
  },
  ischemia_reperfusion: {
    name: "Ischemia/reperfusion",
    aliases: ["I/R", "IR", "ischemia-reperfusion", "MIRI", "reperfusion"],
  },
  chronic_heart_failure: { name: "Chronic heart failure", aliases: ["CHF", "heart failure"] },
  hr_ac16: {
    name: "In vitro hypoxia/reoxygenation, AC16 cardiomyocytes",
    aliases: ["H/R", "hypoxia/reoxygenation", "in vitro", "AC16"],
  },
  hr_h9c2: {
    name: "In vitro hypoxia/reoxygenation, H9c2 cardiomyoblasts",
    aliases: ["H/R", "hypoxia/reoxygenation", "in vitro", "H9c2"],
  },
  heart_transplant: {
    name: "Heart transplant (DCD donor heart, ex vivo perfusion)",
    aliases: ["transplant", "cardiac transplant", "DCD", "donation after circulatory death"],
  },
  safety_evaluation: {
    name: "Safety evaluation without injury",
    aliases: ["safety", "toxicology", "healthy animals"],
  },
} as const;
export type InjuryModel = keyof typeof INJURY_MODELS;
export const INJURY_MODEL_IDS = Object.keys(INJURY_MODELS) as InjuryModel[];

export const SETTINGS = ["in_vivo", "in_vitro", "ex_vivo", "review_generalization"] as const;

/** How a route places exosomes, for the delivery model. */
export const ROUTE_CLASSES = [
  "systemic",
  "intramyocardial",
  "patch",
  "injectable_biomaterial",
  "targeted_nanovesicle",
  "in_vitro",
  "ex_vivo_perfusion",
  "unspecified",
] as const;
