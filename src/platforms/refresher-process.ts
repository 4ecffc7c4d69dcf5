import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenSourceSpec } from '../core/token/source.ts';

/**
 * Starts `wif refresher` detached from the step, so it outlives it; the post step (or
 * `wif cleanup`) stops it. Its log goes to a file in the credential directory, never to the
 * job log, and it inherits the job's environment (the GitHub token request variables).
 */
export function spawnRefresher(options: {
  readonly wifCommand: readonly string[];
  readonly dir: string;
  readonly audiences: readonly string[];
  readonly source: TokenSourceSpec;
  readonly maxLifetimeSeconds: number;
  readonly env: NodeJS.ProcessEnv;
}): number {
  const [command, ...prefix] = options.wifCommand;
  if (command === undefined) throw new Error('wifCommand is empty');
  const log = openSync(join(options.dir, 'refresher.log'), 'a', 0o600);
  const source =
    options.source.kind === 'github'
      ? 'github'
      : options.source.kind === 'file'
        ? `file:${options.source.path}`
        : `${options.source.kind}:${options.source.variable}`;
  try {
    const child = spawn(
      command,
      [
        ...prefix,
        'refresher',
        '--dir',
        options.dir,
        '--source',
        source,
        '--max-lifetime',
        String(options.maxLifetimeSeconds),
        ...options.audiences.flatMap((a) => ['--audience', a]),
      ],
      { detached: true, stdio: ['ignore', log, log], env: options.env },
    );
    child.unref();
    if (child.pid === undefined) throw new Error('the refresher did not start');
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Stops a refresher we started: only a process whose command line is a wif refresher. */
export function stopRefresher(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  if (!cmdline.includes('\0refresher\0')) return false;
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
