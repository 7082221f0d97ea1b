export { nextRuns, type RunningSchedule, runRetries, runTick, type ScheduleDeps, startSchedule, validateCron } from './daemon.js';
export { planRun, type RunPlan, scheduleZone } from './plan.js';
