import * as core from '@actions/core';
import { describeError } from '../../core/errors.ts';

/**
 * Every action entry point runs through here: one `::error::` line on failure (never a stack
 * trace), then an explicit exit so a socket left open by a cancelled request cannot keep the
 * step alive.
 */
export function runAction(main: () => Promise<void>): void {
  main().then(
    () => {
      process.exit(process.exitCode ?? 0);
    },
    (error: unknown) => {
      core.setFailed(describeError(error));
      if (process.env['RUNNER_DEBUG'] === '1' && error instanceof Error && error.stack)
        core.debug(error.stack);
      process.exit(1);
    },
  );
}
