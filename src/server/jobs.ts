import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { z } from "zod";
import { HttpError, toApiError } from "./errors.ts";

/**
 * Long computations (validation of all claims, cohorts, sensitivity, optimization) run as jobs: the
 * POST answers 202 with a job id at once, the client polls `GET /api/jobs/:id` or streams
 * `GET /api/jobs/:id/events` (server-sent events). Jobs run one at a time in this process (the
 * machine's cores serve the HTTP requests too); a runner yields to the event loop between units of
 * work (`ctx.tick()`), so the server stays responsive while a job runs.
 */

export const JobStatus = z.enum(["queued", "running", "done", "failed", "cancelled"]);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobView = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: JobStatus,
    progress: z.object({ done: z.number(), total: z.number(), message: z.string().optional() }),
    created_at: z.string(),
    finished_at: z.string().optional(),
    error: z.unknown().optional(),
    result: z.unknown().optional(),
  })
  .meta({ id: "Job" });
export type JobView = z.infer<typeof JobView>;

export interface JobContext {
  progress(done: number, total: number, message?: string): void;
  /** yields to the event loop; throws when the job was cancelled */
  tick(): Promise<void>;
  readonly cancelled: boolean;
}

export type JobRunner<T> = (ctx: JobContext) => Promise<T>;

interface Job {
  view: JobView;
  run: JobRunner<unknown>;
  cancelled: boolean;
}

class Cancelled extends Error {}

export interface JobQueueOptions {
  /** queued + running jobs accepted at once; more answer 429 */
  maxPending?: number;
  /** finished jobs kept for polling (oldest dropped first) */
  keepFinished?: number;
}

export class JobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly pending: Job[] = [];
  private running = false;
  readonly events = new EventEmitter();
  private readonly maxPending: number;
  private readonly keepFinished: number;

  constructor(opts: JobQueueOptions = {}) {
    this.maxPending = opts.maxPending ?? 8;
    this.keepFinished = opts.keepFinished ?? 50;
    this.events.setMaxListeners(100);
  }

  submit<T>(kind: string, run: JobRunner<T>): JobView {
    if (this.pending.length + (this.running ? 1 : 0) >= this.maxPending) {
      throw new HttpError(429, `too many jobs pending (${this.maxPending}); wait for one to finish`);
    }
    const view: JobView = {
      id: randomUUID(),
      kind,
      status: "queued",
      progress: { done: 0, total: 0 },
      created_at: new Date().toISOString(),
    };
    const job: Job = { view, run: run as JobRunner<unknown>, cancelled: false };
    this.jobs.set(view.id, job);
    this.pending.push(job);
    this.prune();
    setImmediate(() => void this.drain());
    return { ...view };
  }

  get(id: string): JobView {
    const job = this.jobs.get(id);
    if (!job)
      throw new HttpError(404, `no job with id "${id}" (finished jobs are kept for a while only)`, "id");
    return { ...job.view, progress: { ...job.view.progress } };
  }

  list(): JobView[] {
    return [...this.jobs.values()].map((j) => ({ ...j.view, result: undefined }));
  }

  cancel(id: string): JobView {
    const job = this.jobs.get(id);
    if (!job) throw new HttpError(404, `no job with id "${id}"`, "id");
    if (job.view.status === "queued" || job.view.status === "running") {
      job.cancelled = true;
      if (job.view.status === "queued") {
        this.pending.splice(this.pending.indexOf(job), 1);
        this.finish(job, "cancelled");
      }
    }
    return this.get(id);
  }

  /** resolves when the job has finished (any final status) */
  wait(id: string): Promise<JobView> {
    const view = this.get(id);
    if (isFinal(view.status)) return Promise.resolve(view);
    return new Promise((resolve) => {
      const on = (v: JobView) => {
        if (v.id === id && isFinal(v.status)) {
          this.events.off("update", on);
          resolve(this.get(id));
        }
      };
      this.events.on("update", on);
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    const job = this.pending.shift();
    if (!job) return;
    this.running = true;
    job.view.status = "running";
    this.emit(job);
    const ctx: JobContext = {
      progress: (done, total, message) => {
        job.view.progress = { done, total, message };
        this.emit(job);
      },
      tick: () =>
        new Promise<void>((resolve, reject) =>
          setImmediate(() => (job.cancelled ? reject(new Cancelled()) : resolve())),
        ),
      get cancelled() {
        return job.cancelled;
      },
    };
    try {
      job.view.result = await job.run(ctx);
      this.finish(job, "done");
    } catch (err) {
      if (err instanceof Cancelled) this.finish(job, "cancelled");
      else {
        job.view.error = toApiError(err).body;
        this.finish(job, "failed");
      }
    } finally {
      this.running = false;
      setImmediate(() => void this.drain());
    }
  }

  private finish(job: Job, status: JobStatus): void {
    job.view.status = status;
    job.view.finished_at = new Date().toISOString();
    this.emit(job);
  }

  private emit(job: Job): void {
    this.events.emit("update", { ...job.view, result: undefined });
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => isFinal(j.view.status));
    for (const j of finished.slice(0, Math.max(0, finished.length - this.keepFinished)))
      this.jobs.delete(j.view.id);
  }
}

export function isFinal(s: JobStatus): boolean {
  return s === "done" || s === "failed" || s === "cancelled";
}
