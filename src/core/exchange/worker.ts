import { parentPort, threadId, workerData } from 'node:worker_threads';
import { WifError } from '../errors.ts';
import { OptionReader } from './options.ts';
import { exchangeKind } from './registry.ts';
import type { TargetContext, TargetToken } from './target.ts';
import {
  reviveError,
  serialiseError,
  type ExchangeJob,
  type TokenAnswer,
  type WorkerMessage,
} from './worker-protocol.ts';

/**
 * The entry of an exchange worker thread (built into dist/workers/exchange.js): one target's
 * SDK load and exchange, off the main thread, so several targets compile their SDKs in
 * parallel. It prints nothing: log lines, the credential set or the error go back to the main
 * thread, which masks every secret before anything reaches the log. Tokens are asked of the
 * main thread, which owns the token source.
 */
const port = parentPort;
if (port === null) throw new Error('The exchange worker runs only as a worker thread.');
const job = workerData as ExchangeJob;

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

const tokenRequests = new Map<
  number,
  { resolve: (token: TargetToken) => void; reject: (error: Error) => void }
>();
let lastTokenRequest = 0;
port.on('message', (answer: TokenAnswer) => {
  const request = tokenRequests.get(answer.id);
  tokenRequests.delete(answer.id);
  if (answer.kind === 'token') request?.resolve(answer.token);
  else request?.reject(reviveError(answer.error));
});

const ctx: TargetContext = {
  env: process.env,
  token: (audience) =>
    new Promise((resolve, reject) => {
      const id = ++lastTokenRequest;
      tokenRequests.set(id, { resolve, reject });
      post({ kind: 'token-wanted', id, audience });
    }),
  log: (line) => {
    post({ kind: 'log', line });
  },
  refreshTokenFile: (audience) => (audience === job.audience ? job.refreshTokenFile : undefined),
  wifCommand: job.wifCommand,
  // Messages keep their order, so the main thread records this before it reads the result.
  loginAttempted: (tool) => {
    post({ kind: 'login-attempted', tool });
  },
};

async function exchange(): Promise<WorkerMessage> {
  const kind = exchangeKind(job.target.type);
  if (kind === undefined)
    throw new WifError(
      'internal',
      `The exchange worker knows no target type "${job.target.type}".`,
    );
  // Nothing waits for this thread: the SDK compiles while the main thread fetches the token.
  kind.preload().catch(() => undefined);
  // Prepared already on the main thread from the same strings, so this parse cannot fail anew.
  const target = kind.prepare(
    job.target.name,
    new OptionReader(job.target.options, job.target.door),
    ctx.env,
  );
  return { kind: 'done', set: await target.run(ctx) };
}

post({ kind: 'started', threadId });
post(
  await exchange().catch((error: unknown): WorkerMessage => ({
    kind: 'failed',
    error: serialiseError(error),
  })),
);
port.close();
