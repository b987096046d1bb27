/** Thin client of the ExoMI API; types mirror the server's zod schemas (src/server/schemas.ts). */

export interface ApiErrorBody {
  error: string;
  field?: string;
  allowed?: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error);
  }
}

export async function api<T>(
  path: string,
  init?: { method?: string; body?: unknown; signal?: AbortSignal },
): Promise<T> {
  const res = await fetch(path, {
    method: init?.method ?? (init?.body === undefined ? "GET" : "POST"),
    headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init?.signal,
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, data ?? { error: res.statusText });
  return data as T;
}

export interface ReadoutInfo {
  id: string;
  name: string;
  unit: string;
  kind: "effect" | "node" | "derived";
  module?: string;
  node?: string;
}

export interface Meta {
  species: string[];
  injuries: string[];
  sources: string[];
  routes: { id: string; label: string; mode: string }[];
  ligands: { id: string; label: string }[];
  readouts: ReadoutInfo[];
  limits: Record<string, number>;
}

export interface DesignOptions {
  sources: { id: string; name: string }[];
  overexpress: string[];
  load: { id: string; name: string }[];
  precondition: string[];
}

export type EngineeringStep =
  | { kind: "overexpress"; gene: string }
  | { kind: "load"; molecule: string }
  | { kind: "knockdown"; molecule: string }
  | { kind: "precondition"; condition: "hypoxia" }
  | { kind: "surface"; ligand: string };

export interface Scenario {
  species: string;
  injury: string;
  therapy: null | {
    source: string;
    engineering: EngineeringStep[];
    route: string;
    dose_particles: number;
    time_h: number;
  };
  duration_h: number;
}

export interface SimulationResult {
  scenario: Scenario;
  time_unit: "h";
  times: number[];
  readouts: ReadoutInfo[];
  series: Record<string, number[]>;
  compute_ms: number;
}

export type Evidence = Record<string, unknown>;

export interface NetSpecies {
  id: string;
  name: string;
  module?: string;
  type?: string;
  readout?: string;
  aliases?: string[];
  notes?: string;
  evidence?: Evidence[];
}

export interface NetReaction {
  id: string;
  rule: string;
  reactants: { species: string; negated: boolean }[];
  product: string;
  module?: string;
  notes?: string;
  evidence?: Evidence[];
}

export interface Network {
  name: string;
  modules: string[];
  species: NetSpecies[];
  reactions: NetReaction[];
}

export interface PathStep {
  from: string;
  to: string;
  reaction: string;
  sign: number;
}

export interface EffectPath {
  effect: string;
  nodes: string[];
  steps: PathStep[];
  sign: number;
}

export interface Paths {
  source: string;
  effects: EffectPath[];
  nodes: string[];
  reactions: string[];
}

export interface Claim {
  id: string;
  readout: string;
  direction: string;
  comparison: string;
  text: string;
  source: string;
  cell_or_tissue?: string;
}

export interface Study {
  id: string;
  table: 1 | 2;
  row: number;
  category?: string;
  reference?: string;
  references?: string[];
  cells: Record<string, string>;
  cargo: string[];
  targets: string[];
  pathways: string[];
  effects: string[];
  routes: string[];
  species: string[];
  models: string[];
  setting: string;
  claims: Claim[];
}

export interface StudyDetail {
  study: Study;
  references: { id: string; first_author: string; year: number; sections: string[] }[];
  entities: Record<string, { name: string; type: string }>;
  node_names: Record<string, string>;
  claim_paths: { claim: string; readout: string; effect_node?: string; path?: EffectPath; note?: string }[];
}

export interface Job<T = unknown> {
  id: string;
  kind: string;
  status: "queued" | "running" | "done" | "failed" | "cancelled";
  progress: { done: number; total: number; message?: string };
  error?: ApiErrorBody;
  result?: T;
}

/** Polls a job until it finishes, reporting progress. */
export async function waitForJob<T>(
  id: string,
  onProgress: (j: Job<T>) => void,
  intervalMs = 500,
): Promise<Job<T>> {
  for (;;) {
    const j = await api<Job<T>>(`/api/jobs/${id}`);
    onProgress(j);
    if (j.status !== "queued" && j.status !== "running") return j;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Human-readable text of an evidence entry of the network (ref, research source or assumption). */
export function evidenceText(e: Evidence): string {
  if (typeof e.ref === "string") return e.ref + (e.note ? ` — ${e.note}` : "");
  if (typeof e.source === "string") return `${e.source}${e.note ? ` — ${e.note}` : ""}`;
  if (typeof e.assumption === "string") return `assumption: ${e.assumption}`;
  return JSON.stringify(e);
}
