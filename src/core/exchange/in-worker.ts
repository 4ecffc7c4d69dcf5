import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { CredentialSet } from '../credentials/credential-set.ts';
import { WifError } from '../errors.ts';
import { redact } from '../redact.ts';
import type { TargetSpec } from './registry.ts';
import type { TargetContext } from './target.ts';
import {
  reviveError,
  serialiseError,
  type ExchangeJob,
  type TokenAnswer,
  type WorkerMessage,
} from './worker-protocol.ts';

/** How long an answered worker may take to exit by itself before it is stopped. */
const LINGER_MS = 1000;

/** What the main thread knows of a target it hands to a worker. */
export interface WorkerTarget {
  readonly name: string;
  readonly audience: string;
  readonly spec: TargetSpec;
}

/**
 * Runs one target's exchange in a worker thread started from `workerUrl` (the exchange worker
 * entry). The main thread answers the worker's token requests through `ctx.token`, passes its
 * log lines on, and turns every way a worker can end into a settled promise: its credential
 * set, its error, a crash or an early exit (an internal error naming the target), or the
 * deadline (`ctx.signal`), at which the worker is terminated. Anything the worker's code
 * writes to stdout or stderr (an SDK warning) is scrubbed and logged, never passed through raw.
 */
export function runInWorker(
  target: WorkerTarget,
  workerUrl: URL,
  ctx: TargetContext,
  onStarted: (threadId: number) => void = () => undefined,
): Promise<CredentialSet> {
  return new Promise((resolve, reject) => {
    if (ctx.signal?.aborted === true) {
      reject(deadlineError(target.name));
      return;
    }
    const job: ExchangeJob = {
      target: target.spec,
      audience: target.audience,
      refreshTokenFile: ctx.refreshTokenFile(target.audience),
      wifCommand: ctx.wifCommand,
    };
    const worker = new Worker(workerUrl, {
      workerData: job,
      env: definedOnly(ctx.env),
      stdout: true,
      stderr: true,
      name: `wif exchange ${target.name}`,
    });
    let settled = false;
    /**
     * An answered worker is left a moment to exit by itself, so what it wrote last still
     * reaches the log; it never holds the process open, and is stopped if it lingers (an
     * SDK's keep-alive socket). A worker past the deadline is stopped at once.
     */
    const settle = (finish: () => void, stop: 'now' | 'soon'): void => {
      if (settled) return;
      settled = true;
      ctx.signal?.removeEventListener('abort', onDeadline);
      if (stop === 'now') void worker.terminate();
      else {
        worker.unref();
        setTimeout(() => void worker.terminate(), LINGER_MS).unref();
      }
      finish();
    };
    const fail = (error: Error, stop: 'now' | 'soon' = 'soon'): void => {
      settle(() => {
        reject(error);
      }, stop);
    };
    const onDeadline = (): void => {
      fail(deadlineError(target.name), 'now');
    };
    ctx.signal?.addEventListener('abort', onDeadline, { once: true });

    const answer = (message: TokenAnswer): void => {
      if (!settled) worker.postMessage(message);
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'started':
          onStarted(message.threadId);
          break;
        case 'token-wanted':
          ctx.token(message.audience).then(
            ({ token, claims }) => {
              answer({ kind: 'token', id: message.id, token: { token, claims } });
            },
            (error: unknown) => {
              answer({ kind: 'token-failed', id: message.id, error: serialiseError(error) });
            },
          );
          break;
        case 'log':
          ctx.log(message.line);
          break;
        case 'login-attempted':
          ctx.loginAttempted(message.tool);
          break;
        case 'done':
          settle(() => {
            resolve(message.set);
          }, 'soon');
          break;
        case 'failed':
          fail(reviveError(message.error));
          break;
      }
    });
    worker.on('messageerror', (error) => {
      fail(crashError(target.name, `a message could not be read (${error.message})`));
    });
    worker.on('error', (error: unknown) => {
      fail(
        crashError(
          target.name,
          `it crashed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    });
    worker.on('exit', (code) => {
      fail(crashError(target.name, `it exited (code ${code}) before it finished`));
    });
    for (const stream of [worker.stdout, worker.stderr])
      forwardLines(stream, (line) => {
        ctx.log(`${target.name}: ${redact(line)}`);
      });
  });
}

function deadlineError(name: string): WifError {
  return new WifError(
    'timeout',
    `Target "${name}" did not finish before the step's deadline; its worker thread was stopped.`,
    {
      fix: 'Check that its service is reachable, or raise timeout-seconds.',
    },
  );
}

function crashError(name: string, what: string): WifError {
  return new WifError('internal', `Target "${name}": its worker thread failed: ${what}.`, {
    fix: 'This is a bug in wif; please report it with the log of this step.',
  });
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

function forwardLines(stream: Readable, line: (text: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) if (text.trim() !== '') line(text);
  });
  stream.on('end', () => {
    if (partial.trim() !== '') line(partial);
  });
}
