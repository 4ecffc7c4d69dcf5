import { ACTION_INPUTS, OptionReader } from '../../core/exchange/options.ts';
import {
  awsMasks,
  awsOptionNames,
  parseAwsTargetConfig,
  preloadStsSdk,
  runAwsTarget,
} from '../../core/exchange/aws.ts';
import { federateOnGitHub } from '../../platforms/github/federate.ts';
import { readInputs } from '../../platforms/github/inputs.ts';
import { runAction } from '../../platforms/github/run-action.ts';

/** The step itself; main.ts starts the token request before loading this. */
export function main(wifCommand: readonly string[]): void {
  runAction(async () => {
    // The SDK loads while the token request is in flight, not before it.
    const sdk = preloadStsSdk();
    const config = parseAwsTargetConfig(
      new OptionReader(readInputs(awsOptionNames), ACTION_INPUTS),
      process.env,
    );
    await federateOnGitHub(
      [
        {
          name: 'aws',
          audience: config.audience,
          refresh: config.refresh,
          masks: awsMasks(config),
          run: (ctx) => runAwsTarget('aws', config, ctx, sdk),
        },
      ],
      { wifCommand, timeoutSeconds: config.timeoutSeconds },
    );
  });
}
