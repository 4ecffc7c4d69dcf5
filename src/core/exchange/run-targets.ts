import { availableParallelism } from 'node:os';
import type { CredentialSet } from '../credentials/credential-set.ts';
import { WifError } from '../errors.ts';
import { bundledWorker } from '../workers/locate.ts';
import { runInWorker } from './in-worker.ts';
import type { TargetSpec } from './registry.ts';
import type { TargetContext } from './target.ts';

/** A target a front door runs: in this thread through `run`, or in a worker from `spec`. */
export interface RunnableTarget {
  readonly name: string;
  readonly audience: string;
  readonly refresh: boolean;
  /**
   * Values the options alone reveal that the platform must mask before the first request, so
   * no log line can show them first (an account ID with mask-aws-account-id).
   */
  readonly masks?: readonly string[] | undefined;
  /** Present when the target can be prepared again in a worker thread (registry targets). */
  readonly spec?: TargetSpec | undefined;
  run(ctx: TargetContext): Promise<CredentialSet>;
}

export interface TargetHosting {
  /** The running entry's `import.meta.url`; workers exist only next to a bundled entry. */
  readonly entryUrl: string | undefined;
  /** Where to note which thread runs each target (GitHub: a debug line). */
  readonly debug?: (line: string) => void;
  /** Processor cores this process may use; defaults to what the OS reports. */
  readonly cores?: number;
}

/** `WIF_EXCHANGE_THREADS`: `workers` or `main` overrides the choice `auto` makes. */
export type ThreadPolicy = 'auto' | 'workers' | 'main';

export function threadPolicy(env: Readonly<Record<string, string | undefined>>): ThreadPolicy {
  const value = env['WIF_EXCHANGE_THREADS'] ?? '';
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'workers' || value === 'main') return value;
  throw new WifError(
    'usage',
    `WIF_EXCHANGE_THREADS must be auto, workers or main, not "${value}".`,
    { fix: 'Unset it to let wif choose.' },
  );
}

/**
 * Whether several targets run in worker threads. A worker pays for its own Node start (about
 * 30 ms) and compiles the shared code again before its SDK, so it can only shorten a step when
 * it gets a core of its own: `auto` asks for one core per target beside the main thread. On a
 * 2-core machine three targets took 172 ms on the main thread against 217 ms in three workers
 * (docs/federation.md); one worker beside the main thread gained nothing.
 */
export function hostsInWorkers(targets: number, policy: ThreadPolicy, cores: number): boolean {
  if (targets < 2 || policy === 'main') return false;
  return policy === 'workers' || cores > targets;
}

/**
 * Runs every target concurrently and settles each. The exchange code is the same either way;
 * what differs is its host: each target in its own worker thread (so the SDKs compile in
 * parallel), or all of them here, where waiting on the network still overlaps. Workers need
 * the bundled exchange worker, so from the source tree targets always run here.
 */
export function runTargets(
  targets: readonly RunnableTarget[],
  ctx: TargetContext,
  hosting: TargetHosting,
): Promise<PromiseSettledResult<CredentialSet>[]> {
  const debug = hosting.debug ?? (() => undefined);
  const cores = hosting.cores ?? availableParallelism();
  const workerUrl =
    targets.every((t) => t.spec !== undefined) &&
    hostsInWorkers(targets.length, threadPolicy(ctx.env), cores)
      ? bundledWorker('exchange', hosting.entryUrl)
      : undefined;
  if (targets.length > 1 && workerUrl === undefined)
    debug(`${targets.length} targets run on the main thread (${cores} cores)`);
  return Promise.allSettled(
    targets.map((target) => {
      if (workerUrl === undefined || target.spec === undefined) return target.run(ctx);
      const { name, audience, spec } = target;
      return runInWorker({ name, audience, spec }, workerUrl, ctx, (threadId) => {
        debug(`${name}: exchange runs in worker thread ${threadId}`);
      });
    }),
  );
}
