import { evaluateMember, type MemberSpec } from "./member.ts";

/** A chunk of members for one worker: values come back spec-major, then readout, then time. */
export interface EvalTask {
  specs: MemberSpec[];
  readouts: string[];
  times: number[];
}

export function evaluateChunk(task: EvalTask): Float64Array {
  const per = task.readouts.length * task.times.length;
  const out = new Float64Array(task.specs.length * per);
  task.specs.forEach((spec, i) => {
    out.set(evaluateMember(spec, task.readouts, task.times), i * per);
  });
  return out;
}

export default evaluateChunk;
