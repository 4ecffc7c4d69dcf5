#!/usr/bin/env node
import { describeError, exitCodeFor } from '../core/errors.ts';
import type { CommandIo } from './command.ts';
import { run } from './dispatch.ts';

/**
 * The `wif` executable: builds the process-bound CommandIo and hands over to the dispatcher.
 * Exits explicitly so a cancelled request cannot keep the process alive.
 */
const stopped = new Promise<void>((resolve) => {
  process.once('SIGINT', () => {
    resolve();
  });
  process.once('SIGTERM', () => {
    resolve();
  });
});

const io: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stopped,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  entryUrl: import.meta.url,
};

run(process.argv.slice(2), io).then(
  (code) => {
    flushAndExit(code);
  },
  (error: unknown) => {
    io.stderr(`wif: ${describeError(error)}\n`);
    flushAndExit(exitCodeFor(error));
  },
);

function flushAndExit(code: number): void {
  // Let stdout drain when piped, then exit even if a socket is still open.
  if (process.stdout.writableLength === 0) process.exit(code);
  process.stdout.once('drain', () => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}
