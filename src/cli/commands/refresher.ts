import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { ExitCode, WifError } from '../../core/errors.ts';
import { refreshTargets, runRefresher } from '../../core/refresh/refresher.ts';
import { parseTokenSourceSpec } from '../../core/token/source.ts';
import { createTokenSource } from '../../platforms/token-sources.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { parseSeconds } from '../values.ts';

const usage = `Usage: wif refresher --dir DIR --audience A [--audience B …] [--source S] [--max-lifetime S]

Keeps one OIDC token file per audience fresh in DIR (re-minting at half of each token's
lifetime) until stopped with SIGTERM or until --max-lifetime seconds (default 21600) pass.
Started detached by the actions and \`wif federate\` in refresh mode; you rarely run it by hand.
`;

export const command: Command = {
  name: 'refresher',
  summary: 'Keep OIDC token files fresh for SDKs that re-read them (refresh mode)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs('refresher', argv, {
      dir: { type: 'string' },
      audience: { type: 'string', multiple: true },
      source: { type: 'string', default: 'auto' },
      'max-lifetime': { type: 'string', default: '21600' },
    });
    if (values.dir === undefined || values.audience === undefined || values.audience.length === 0) {
      throw new WifError('usage', 'wif refresher needs --dir and at least one --audience.');
    }
    const maxLifetime = parseSeconds('--max-lifetime', values['max-lifetime'], {
      min: 1,
      max: 86_400,
    });
    const source = createTokenSource(parseTokenSourceSpec(values.source, io.env), io.env, {
      workflowCommands: 'drop',
    });
    const stop = new AbortController();
    void io.stopped.then(() => {
      stop.abort();
    });
    await runRefresher(source, SecretDirectory.adopt(values.dir), refreshTargets(values.audience), {
      signal: stop.signal,
      maxLifetimeMs: maxLifetime * 1000,
      log: (line) => {
        io.stderr(`${new Date().toISOString()} ${line}\n`);
      },
    });
    return ExitCode.ok;
  },
};
