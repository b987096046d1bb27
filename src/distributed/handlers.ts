/**
 * Chunk handlers of distributed runs: a name → `(payload, startIndex, count) => results[]`, one
 * result per member, each a pure function of (payload, member index) so that any worker, any retry
 * and the single-process run give the same numbers. Workers look handlers up by the job's name.
 */
export type ChunkHandler = (
  payload: unknown,
  startIndex: number,
  count: number,
) => unknown[] | Promise<unknown[]>;

const handlers = new Map<string, ChunkHandler>();

export function registerHandler(name: string, handler: ChunkHandler): void {
  handlers.set(name, handler);
}

export function getHandler(name: string): ChunkHandler {
  const h = handlers.get(name);
  if (!h)
    throw new Error(`no chunk handler named "${name}" (registered: ${[...handlers.keys()].join(", ")})`);
  return h;
}

export function handlerNames(): string[] {
  return [...handlers.keys()];
}

/**
 * "selftest": a deterministic stand-in for a simulation, used to check a deployment (and by the
 * tests): member i → an integer hash of (seed, i), after `delayMs` of work per member.
 */
export interface SelftestPayload {
  seed: number;
  delayMs?: number;
}

export function selftestValue(seed: number, i: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

registerHandler("selftest", async (payload, start, count) => {
  const p = payload as SelftestPayload;
  const out: number[] = [];
  for (let i = start; i < start + count; i++) {
    if (p.delayMs) await new Promise((r) => setTimeout(r, p.delayMs));
    out.push(selftestValue(p.seed, i));
  }
  return out;
});
