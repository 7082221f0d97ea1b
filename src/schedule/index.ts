export { planRun, scheduleZone, type RunPlan } from './plan.js';
export { startSchedule, runTick, runRetries, nextRuns, validateCron, type RunningSchedule, type ScheduleDeps } from './daemon.js';
