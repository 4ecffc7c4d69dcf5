import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WifError } from '../core/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs with its errors turned into one usage line naming the command, so an
 * unknown or malformed flag never surfaces as a stack trace.
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    const message =
      error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new WifError('usage', `wif ${command}: ${message.replace(/\.$/, '')}.`, {
      fix: `Run \`wif ${command} --help\` for its options.`,
    });
  }
}
