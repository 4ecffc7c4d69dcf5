/**
 * `wif sandbox` start-up and shutdown: from process start to its env file (every emulator
 * listening), and from SIGTERM to exit, against a bare Node process start measured in the
 * same run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, node24, ratio, root, runProcess, scratch } from './support.ts';

const RUNS = Number(process.env['WIF_BENCH_RUNS'] ?? 7);
const work = scratch('wif-bench-sandbox-');
const up: number[] = [];
const down: number[] = [];
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const envFile = join(work.dir, `env-${i}`);
  const started = performance.now();
  const child = spawn(node24, [join(root, 'dist', 'cli.js'), 'sandbox', '--write-env', envFile], {
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin', HOME: work.dir },
  });
  const exited = new Promise<void>((r) => {
    child.once('exit', () => {
      r();
    });
  });
  while (!existsSync(envFile)) {
    if (performance.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error('the sandbox did not start in 30 s');
    }
    await sleep(5);
  }
  up.push(performance.now() - started);
  const stopping = performance.now();
  child.kill('SIGTERM');
  await exited;
  down.push(performance.now() - stopping);
  bare.push((await runProcess(['-e', '0'], {})).ms);
}
console.log(`wif sandbox (issuer, aws-sts, gcp, azure), ${RUNS} runs, medians:`);
console.log(
  `  start to all emulators listening: ${median(up).toFixed(0)} ms (bare Node start ${median(bare).toFixed(0)} ms → ${ratio(median(up), median(bare))}×)`,
);
console.log(`  SIGTERM to exit (every port closed): ${median(down).toFixed(0)} ms`);
work.dispose();
