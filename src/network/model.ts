/**
 * The network model as plain data (Netflux-compatible). A model is species + reactions; the
 * simulator compiles it once into a right-hand side (see `compile.ts`). Both the curated ExoMI
 * network (`data/network.yaml`) and imported Netflux spreadsheets become this shape.
 */

/** Netflux defaults (saucermanlab/Netflux exampleNet; ../shared/research/netflux.md). */
export const NETFLUX_DEFAULTS = { W: 1, n: 1.4, EC50: 0.5, tau: 1, ymax: 1, yinit: 0 } as const;

/** Where a number or an edge comes from: a KB reference id, a research source, or an assumption. */
export type Evidence =
  | { ref: string; note?: string }
  | { source: string; note?: string }
  | { assumption: string; range?: [number, number] };

/**
 * Evidence against an edge: a source that reports the opposite (or no) effect. Only a citation can
 * contradict, so assumptions are excluded, and the note saying what the source reports is required.
 */
export type ContraEvidence = { ref: string; note: string } | { source: string; note: string };

export interface Species {
  /** identifier: letter first, then letters, digits, underscores (Netflux requires this) */
  id: string;
  /** display name, e.g. "miR-23a-3p", "NF-κB" */
  name: string;
  module?: string;
  type?: string;
  aliases?: string[];
  yinit: number;
  ymax: number;
  tau: number;
  /** readout id when this species is an effect output (apoptosis, pyroptosis, …) */
  readout?: string;
  notes?: string;
  evidence?: Evidence[];
  /** cellular location (Netflux column) */
  location?: string;
  /** further spreadsheet columns kept verbatim (header → value) so a Netflux file round-trips */
  extra?: Record<string, string | number>;
}

/** One reactant of a reaction: a species id, possibly negated (`!A`, inhibition). */
export interface Reactant {
  species: string;
  negated: boolean;
}

export interface Reaction {
  id: string;
  /** rule as written, e.g. "miR23a_3p -| DMT1", "!A & B => C", "=> ischemia" */
  rule: string;
  /** parsed: AND of reactants (empty for an input rule) */
  reactants: Reactant[];
  product: string;
  W: number;
  n: number;
  EC50: number;
  module?: string;
  evidence?: Evidence[];
  /** sources that contradict this edge; a reaction with any is *contested* (kept, and reported) */
  against?: ContraEvidence[];
  notes?: string;
  /** cellular location (Netflux column) */
  location?: string;
  /** further spreadsheet columns kept verbatim (header → value) so a Netflux file round-trips */
  extra?: Record<string, string | number>;
}

export interface NetworkModel {
  name: string;
  species: Species[];
  reactions: Reaction[];
  /** time unit of tau, informative ("h" for ExoMI, arbitrary for imported models) */
  timeUnit?: string;
}
