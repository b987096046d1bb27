import type { SimulationResult } from "../api.ts";

/**
 * Runs scenarios in a Web Worker (src/sim/worker.ts): no network round trip, so the designer can
 * re-simulate as the inputs change. A newer request supersedes older ones still queued.
 */
type Reply =
  | { id: number; ok: true; result: SimulationResult }
  | { id: number; ok: false; error: string; field?: string };

let worker: Worker | null = null;
let seq = 0;
const pending = new Map<number, { resolve: (r: SimulationResult) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if (e.data.ok) p.resolve(e.data.result);
    else p.reject(new Error(e.data.field ? `${e.data.error} [${e.data.field}]` : e.data.error));
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(e.message || "simulation worker failed"));
    pending.clear();
    worker = null;
  };
  return worker;
}

export function simulateLocally(scenario: unknown, readouts?: string[]): Promise<SimulationResult> {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, scenario, readouts });
  });
}

export function localSimulationAvailable(): boolean {
  return typeof Worker !== "undefined";
}
