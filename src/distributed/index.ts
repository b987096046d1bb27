/** Distributed chunked jobs (BullMQ on Redis): coordinator, worker, handlers (selftest, cohort). */
import "./cohort-handler.ts";

export { type CohortPayload, cohortResultFrom, evaluateCohortMembers } from "./cohort-handler.ts";
export { type ChunkHandler, getHandler, handlerNames, registerHandler, selftestValue } from "./handlers.ts";
export {
  type DistributedOptions,
  QUEUE_NAME,
  type RunningWorker,
  runDistributed,
  runLocal,
  startWorker,
  type WorkerOptions,
} from "./queue.ts";
