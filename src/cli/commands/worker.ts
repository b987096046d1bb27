import type { Command } from "commander";
import { InputError } from "../errors.ts";

/** `exomi worker --queue redis://…`: processes chunks of distributed runs (cohorts) from BullMQ. */
export function register(program: Command): void {
  program
    .command("worker")
    .description(
      "process chunks of distributed runs (e.g. `exomi cohort … --queue`) from a BullMQ queue on Redis;\n" +
        "start one or more per machine; stops on SIGINT/SIGTERM after the chunk in hand",
    )
    .requiredOption("--queue <url>", "Redis URL of the queue, e.g. redis://127.0.0.1:6379")
    .option("--concurrency <n>", "chunks processed at once by this process", "1")
    .option("--lock-ms <ms>", "chunk lock duration: a dead worker's chunk is retried after this", "30000")
    .option("--quiet", "no per-chunk log")
    .action(async (opts: { queue: string; concurrency: string; lockMs: string; quiet?: boolean }) => {
      if (!/^rediss?:\/\//.test(opts.queue))
        throw new InputError("--queue", opts.queue, [], "a redis:// or rediss:// URL");
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new InputError("--concurrency", opts.concurrency, [], "an integer ≥ 1");
      const lock = Number(opts.lockMs);
      if (!Number.isFinite(lock) || lock < 200)
        throw new InputError("--lock-ms", opts.lockMs, [], "a number ≥ 200");
      // loaded here so other commands do not pay for BullMQ and the model
      const { startWorker, handlerNames } = await import("../../distributed/index.ts");
      const worker = startWorker({
        queueUrl: opts.queue,
        concurrency,
        lockDurationMs: lock,
        onChunk: opts.quiet
          ? undefined
          : (d, ms) =>
              console.error(
                `worker ${process.pid}: ${d.jobName} members ${d.start}–${d.start + d.count - 1} in ${ms.toFixed(0)} ms`,
              ),
      });
      console.error(`worker ${process.pid}: ready on ${opts.queue} (handlers: ${handlerNames().join(", ")})`);
      const stop = async () => {
        await worker.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await new Promise(() => {});
    });
}
