/**
 * Preloaded into every child process of the benchmark (`node --import`): at
 * exit, writes the process's peak RSS, CPU time and lifetime to the file named
 * by BENCH_STATS_FILE. Transpiled to plain JavaScript before timing starts, so
 * it adds no loader to the process it measures.
 */
import { writeFileSync } from 'node:fs';

export interface ProcessStats {
  readonly maxRssKiB: number;
  readonly cpuMs: number;
  readonly lifetimeMs: number;
}

const file = process.env.BENCH_STATS_FILE;
process.on('exit', () => {
  const u = process.resourceUsage();
  const stats: ProcessStats = { maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, lifetimeMs: performance.now() };
  if (file) writeFileSync(file, JSON.stringify(stats));
});
