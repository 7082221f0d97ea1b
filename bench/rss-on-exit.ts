// Preloaded with --import into a measured child: reports its peak RSS and its CPU time (every
// thread's, user and system) on stderr as it exits.
// Sampled from process.memoryUsage.rss() rather than getrusage's maxRSS: a child forked from a
// big parent (the bench itself) starts with the parent's RSS on Linux, which maxRSS keeps.
import { writeSync } from 'node:fs';

let peak = process.memoryUsage.rss();
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss());
};
setInterval(sample, 20).unref();
process.on('exit', () => {
  sample();
  const cpu = process.cpuUsage();
  writeSync(2, `\n${JSON.stringify({ maxRssMb: peak / 1024 / 1024, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
});
