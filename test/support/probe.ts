import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { node24, repoRoot } from './paths.ts';

/**
 * Runs one of test/support/probes/*.mjs under Node 24 with exactly the environment given:
 * an official SDK consuming what an action exported, the way a later step would.
 */
export function runProbe(
  name: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(node24, [join(repoRoot, 'test/support/probes', name)], {
      env: { PATH: '/usr/bin:/bin', ...env },
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`probe ${name} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        reject(new Error(`probe ${name} printed no JSON\n${stdout}\n${stderr}`));
      }
    });
  });
}
