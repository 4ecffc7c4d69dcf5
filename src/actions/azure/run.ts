import {
  azureOptionNames,
  parseAzureTargetConfig,
  preloadIdentitySdk,
  runAzureTarget,
} from '../../core/exchange/azure.ts';
import { ACTION_INPUTS, OptionReader } from '../../core/exchange/options.ts';
import { federateOnGitHub } from '../../platforms/github/federate.ts';
import { readInputs } from '../../platforms/github/inputs.ts';
import { runAction } from '../../platforms/github/run-action.ts';

/** The step itself; main.ts starts the token request before loading this. */
export function main(wifCommand: readonly string[]): void {
  runAction(async () => {
    // main.ts already has the token request on the wire, so the SDK can load now.
    const config = parseAzureTargetConfig(
      new OptionReader(readInputs(azureOptionNames), ACTION_INPUTS),
      process.env,
    );
    await federateOnGitHub(
      [
        {
          name: 'azure',
          audience: config.audience,
          refresh: config.refresh,
          run: (ctx) => runAzureTarget('azure', config, ctx, preloadIdentitySdk()),
        },
      ],
      { wifCommand, timeoutSeconds: config.timeoutSeconds },
    );
  });
}
