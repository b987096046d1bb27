import { createHash } from "node:crypto";
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { getHandler } from "./handlers.ts";

/**
 * Chunked jobs on BullMQ (Redis). The coordinator splits members [0, total) into chunks, one
 * BullMQ job each, on one shared queue; workers on any machine run the chunk with the handler named
 * by the job; the coordinator merges the chunk results in member order.
 *
 * Why it neither loses nor duplicates members:
 *  - a run's id is a hash of (jobName, payload, total, chunkSize), and a chunk's job id is
 *    `<run>-<start>`: a restarted coordinator with the same arguments adds the same job ids, which
 *    BullMQ ignores when they exist, and collects results of chunks finished before the restart;
 *  - a worker that dies mid-chunk loses its lock; BullMQ's stalled-job check puts the chunk back in
 *    the queue for another worker (a handler error is retried with back-off, `attempts` times);
 *  - results are kept per chunk and placed by start index, so a chunk run twice is counted once.
 */

export const QUEUE_NAME = "exomi-chunks";

export interface ChunkJobData {
  run: string;
  jobName: string;
  payload: unknown;
  start: number;
  count: number;
}

export interface DistributedOptions {
  /** redis://host:port[/db] */
  queueUrl: string;
  /** a registered handler (src/distributed/handlers.ts) */
  jobName: string;
  totalMembers: number;
  chunkSize: number;
  /** plain JSON data given to every chunk */
  payload: unknown;
  /** retries of a chunk whose handler throws (default 3) */
  attempts?: number;
  /** give up after this long without progress (default 10 min) */
  stallTimeoutMs?: number;
  /** remove the run's jobs from Redis once merged (default true) */
  cleanup?: boolean;
  pollMs?: number;
  onProgress?: (doneMembers: number, total: number) => void;
  /** stop waiting (the jobs stay queued; a later call with the same arguments resumes) */
  signal?: AbortSignal;
}

export function connect(url: string): Redis {
  // BullMQ workers block on Redis: ioredis must not give up on a command
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

export function runId(jobName: string, payload: unknown, total: number, chunkSize: number): string {
  return createHash("sha256")
    .update(JSON.stringify([jobName, payload, total, chunkSize]))
    .digest("hex")
    .slice(0, 16);
}

export function chunkStarts(total: number, chunkSize: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < total; s += chunkSize) out.push(s);
  return out;
}

/** The same computation without a queue: the reference a distributed run must equal. */
export async function runLocal(
  opts: Pick<DistributedOptions, "jobName" | "totalMembers" | "chunkSize" | "payload">,
): Promise<unknown[]> {
  const handler = getHandler(opts.jobName);
  const out: unknown[] = [];
  for (const s of chunkStarts(opts.totalMembers, opts.chunkSize)) {
    out.push(...(await handler(opts.payload, s, Math.min(opts.chunkSize, opts.totalMembers - s))));
  }
  return out;
}

export async function runDistributed(opts: DistributedOptions): Promise<unknown[]> {
  if (!Number.isInteger(opts.totalMembers) || opts.totalMembers < 0)
    throw new RangeError(`totalMembers must be an integer ≥ 0, got ${opts.totalMembers}`);
  if (!Number.isInteger(opts.chunkSize) || opts.chunkSize < 1)
    throw new RangeError(`chunkSize must be an integer ≥ 1, got ${opts.chunkSize}`);
  getHandler(opts.jobName); // fail early on an unknown handler
  const run = runId(opts.jobName, opts.payload, opts.totalMembers, opts.chunkSize);
  const starts = chunkStarts(opts.totalMembers, opts.chunkSize);
  const connection = connect(opts.queueUrl);
  const queue = new Queue<ChunkJobData>(QUEUE_NAME, { connection });
  try {
    await queue.addBulk(
      starts.map((start) => ({
        name: opts.jobName,
        data: {
          run,
          jobName: opts.jobName,
          payload: opts.payload,
          start,
          count: Math.min(opts.chunkSize, opts.totalMembers - start),
        },
        opts: {
          jobId: `${run}-${start}`,
          attempts: opts.attempts ?? 3,
          backoff: { type: "exponential", delay: 500 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    const results = new Map<number, unknown[]>();
    let done = 0;
    let lastProgress = Date.now();
    const stallTimeout = opts.stallTimeoutMs ?? 600_000;
    while (results.size < starts.length) {
      if (opts.signal?.aborted)
        throw new Error("runDistributed: aborted (jobs stay queued; rerun to resume)");
      for (const start of starts) {
        if (results.has(start)) continue;
        // state first, then the job: a job fetched before its state is read can complete in between,
        // and its snapshot then says "completed" with no return value yet
        const id = `${run}-${start}`;
        const state = await queue.getJobState(id);
        const job = await queue.getJob(id);
        if (!job || state === "unknown") {
          throw new Error(`chunk ${start} of run ${run} vanished from the queue`);
        }
        if (state === "completed") {
          const values = job.returnvalue as unknown[];
          if (!Array.isArray(values) || values.length !== job.data.count)
            throw new Error(
              `chunk ${start}: expected ${job.data.count} results, got ${JSON.stringify(values)?.slice(0, 80)}`,
            );
          results.set(start, values);
          done += values.length;
          lastProgress = Date.now();
          opts.onProgress?.(done, opts.totalMembers);
        } else if (state === "failed") {
          throw new Error(`chunk ${start} of run ${run} failed after its retries: ${job.failedReason}`);
        }
      }
      if (results.size < starts.length) {
        if (Date.now() - lastProgress > stallTimeout)
          throw new Error(`runDistributed: no chunk finished in ${stallTimeout} ms (are workers running?)`);
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
      }
    }
    const merged: unknown[] = [];
    for (const s of starts) merged.push(...results.get(s)!);
    if (opts.cleanup !== false) {
      for (const s of starts) await (await queue.getJob(`${run}-${s}`))?.remove();
    }
    return merged;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export interface WorkerOptions {
  queueUrl: string;
  concurrency?: number;
  /** how long a chunk's lock lasts without renewal; a dead worker's chunk is retried after it (default 30 s) */
  lockDurationMs?: number;
  /** how often stalled chunks are looked for (default lockDuration / 2) */
  stalledIntervalMs?: number;
  onChunk?: (data: ChunkJobData, ms: number) => void;
}

export interface RunningWorker {
  close(): Promise<void>;
}

export function startWorker(opts: WorkerOptions): RunningWorker {
  const connection = connect(opts.queueUrl);
  const lock = opts.lockDurationMs ?? 30_000;
  const worker = new Worker<ChunkJobData>(
    QUEUE_NAME,
    async (job: Job<ChunkJobData>) => {
      const t = performance.now();
      const { jobName, payload, start, count } = job.data;
      const out = await getHandler(jobName)(payload, start, count);
      opts.onChunk?.(job.data, performance.now() - t);
      return out;
    },
    {
      connection,
      concurrency: opts.concurrency ?? 1,
      lockDuration: lock,
      stalledInterval: opts.stalledIntervalMs ?? Math.max(500, lock / 2),
      // a chunk may outlive several killed workers before it is given up on
      maxStalledCount: 10,
    },
  );
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
