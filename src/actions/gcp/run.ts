import {
  gcpOptionNames,
  parseGcpTargetConfig,
  preloadGoogleAuth,
  runGcpTarget,
} from '../../core/exchange/gcp.ts';
import { ACTION_INPUTS, OptionReader } from '../../core/exchange/options.ts';
import { federateOnGitHub } from '../../platforms/github/federate.ts';
import { readInputs } from '../../platforms/github/inputs.ts';
import { runAction } from '../../platforms/github/run-action.ts';

/** The step itself; main.ts starts the token request before loading this. */
export function main(wifCommand: readonly string[]): void {
  runAction(async () => {
    // google-auth-library loads while the token request is in flight, not before it.
    const sdk = preloadGoogleAuth();
    const config = parseGcpTargetConfig(
      new OptionReader(readInputs(gcpOptionNames), ACTION_INPUTS),
      process.env,
    );
    await federateOnGitHub(
      [
        {
          name: 'gcp',
          audience: config.audience,
          refresh: config.refresh,
          run: (ctx) => runGcpTarget('gcp', config, ctx, sdk),
        },
      ],
      { wifCommand, timeoutSeconds: config.timeoutSeconds },
    );
  });
}
