/**
 * Bounds on the work one request may ask for. A simulation costs roughly linear time in the
 * simulated span, so the span is capped; lists are capped so one request cannot queue hours of work.
 */
export const LIMITS = {
  /** request body, bytes */
  bodyLimit: 1_048_576,
  /** simulated span per simulation, hours (90 days) */
  maxDurationH: 24 * 90,
  /** doses in one therapy */
  maxDoses: 20,
  /** engineering steps in one therapy */
  maxEngineeringSteps: 10,
  /** readouts returned by one simulation */
  maxReadouts: 60,
  /** explicit output times of one simulation */
  maxOutputTimes: 5000,
  /** designs compared in one request */
  maxDesigns: 4,
  /** validation cases posted in one job */
  maxCases: 500,
} as const;
