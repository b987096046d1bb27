import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDistributed, runLocal, selftestValue } from "../../src/distributed/index.ts";

const URL = process.env.EXOMI_TEST_REDIS_URL;
const ROOT = resolve(import.meta.dirname, "../..");

if (!URL) {
  console.warn(
    "\n*** test/distributed SKIPPED: EXOMI_TEST_REDIS_URL is not set. Run `bash scripts/with-redis.sh` " +
      "(it installs and starts a throwaway redis-server) to run the BullMQ suite. ***\n",
  );
}

describe("chunk handlers without a queue", () => {
  it("selftest is a pure function of (seed, index), chunking does not change the result", async () => {
    const a = await runLocal({ jobName: "selftest", totalMembers: 23, chunkSize: 5, payload: { seed: 7 } });
    const b = await runLocal({ jobName: "selftest", totalMembers: 23, chunkSize: 23, payload: { seed: 7 } });
    expect(a).toEqual(b);
    expect(a).toHaveLength(23);
    expect(new Set(a).size).toBe(23);
    expect(a[4]).toBe(selftestValue(7, 4));
    expect(selftestValue(8, 4)).not.toBe(selftestValue(7, 4));
  });
});

const workers: ChildProcess[] = [];
function startWorker(): Promise<ChildProcess> {
  const p = spawn("node", [resolve(ROOT, "bin/exomi.mjs"), "worker", "--queue", URL!, "--lock-ms", "1000"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  workers.push(p);
  return new Promise((ok, fail) => {
    let err = "";
    p.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("ready on")) ok(p);
    });
    p.once("exit", (code) => fail(new Error(`worker exited (${code}) before ready: ${err}`)));
  });
}

afterAll(() => {
  for (const p of workers) if (p.exitCode === null && p.signalCode === null) p.kill("SIGTERM");
});

describe.skipIf(!URL)("distributed runs on BullMQ (Redis)", () => {
  it("two workers, one killed mid-run, and a coordinator restart: merged result equals the single-process one", async () => {
    const job = { jobName: "selftest", totalMembers: 120, chunkSize: 6, payload: { seed: 42, delayMs: 15 } };
    const expected = await runLocal(job);
    const [a] = await Promise.all([startWorker(), startWorker()]);

    // coordinator 1 stops waiting after a few chunks (as if restarted); the jobs stay queued
    const stop = new AbortController();
    let seen = 0;
    await expect(
      runDistributed({
        ...job,
        queueUrl: URL!,
        pollMs: 50,
        signal: stop.signal,
        onProgress: (done) => {
          seen = done;
          if (done >= 24) stop.abort();
        },
      }),
    ).rejects.toThrow(/aborted/);
    expect(seen).toBeGreaterThanOrEqual(24);

    // kill one worker while it holds a chunk; its chunk is retried by the other after the lock expires
    a.kill("SIGKILL");
    const merged = await runDistributed({ ...job, queueUrl: URL!, pollMs: 50, stallTimeoutMs: 20_000 });
    expect(merged).toHaveLength(expected.length);
    expect(merged).toEqual(expected);
  }, 40_000);

  it("rejects an unknown handler before queueing anything", async () => {
    await expect(
      runDistributed({ queueUrl: URL!, jobName: "nope", totalMembers: 3, chunkSize: 1, payload: {} }),
    ).rejects.toThrow(/no chunk handler named "nope"/);
  });
});
