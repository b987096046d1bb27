import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { type EvalTask, evaluateChunk } from "./worker.ts";

/**
 * Runs chunks of members either in this thread (workers = 0) or on a Piscina pool of worker threads.
 * Results never depend on which worker ran a chunk: each chunk's members are fully specified data.
 */
export interface Evaluator {
  readonly workers: number;
  run(task: EvalTask): Promise<Float64Array>;
  close(): Promise<void>;
}

const WORKER = fileURLToPath(new URL("./worker.mjs", import.meta.url));

export function defaultWorkers(): number {
  return availableParallelism();
}

export function createEvaluator(workers = defaultWorkers()): Evaluator {
  if (!Number.isInteger(workers) || workers < 0)
    throw new Error(`workers must be an integer >= 0, got ${workers}`);
  if (workers === 0) {
    return {
      workers: 0,
      run: async (task) => evaluateChunk(task),
      close: async () => {},
    };
  }
  const pool = new Piscina({ filename: WORKER, minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  return {
    workers,
    run: (task) => pool.run(task) as Promise<Float64Array>,
    close: () => pool.destroy(),
  };
}

/**
 * Evaluates `count` members, built on demand by `build(i)`, in chunks; keeps at most 2 chunks per
 * worker in flight (so a million-member cohort is never held as specs at once). Returns values
 * member-major (member, readout, time) and reports progress in members.
 */
export async function evaluateMany(
  evaluator: Evaluator,
  count: number,
  build: (i: number) => EvalTask["specs"][number],
  readouts: string[],
  times: number[],
  opts: { chunkSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Float64Array> {
  const per = readouts.length * times.length;
  const out = new Float64Array(count * per);
  const chunk = Math.max(
    1,
    opts.chunkSize ?? Math.min(16, Math.ceil(count / Math.max(1, 4 * evaluator.workers))),
  );
  const starts: number[] = [];
  for (let s = 0; s < count; s += chunk) starts.push(s);
  let next = 0;
  let done = 0;
  const lanes = Math.max(1, 2 * evaluator.workers);
  const lane = async () => {
    while (next < starts.length) {
      const start = starts[next++];
      const end = Math.min(count, start + chunk);
      const specs = [];
      for (let i = start; i < end; i++) specs.push(build(i));
      const values = await evaluator.run({ specs, readouts, times });
      out.set(values, start * per);
      done += end - start;
      opts.onProgress?.(done, count);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return out;
}
