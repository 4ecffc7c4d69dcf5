import { OptionReader } from '../../core/exchange/options.ts';
import {
  awsOptionNames,
  parseAwsTargetConfig,
  preloadStsSdk,
  runAwsTarget,
} from '../../core/exchange/aws.ts';
import { federateOnGitHub } from '../../platforms/github/federate.ts';
import { inputLabel, readInputs } from '../../platforms/github/inputs.ts';
import { runAction } from '../../platforms/github/run-action.ts';
import { wifCommandFrom } from '../../platforms/github/wif-command.ts';

runAction(async () => {
  // The SDK loads while the token request is in flight, not before it.
  const sdk = preloadStsSdk();
  const config = parseAwsTargetConfig(
    new OptionReader(readInputs(awsOptionNames), inputLabel),
    process.env,
  );
  await federateOnGitHub(
    [
      {
        name: 'aws',
        audience: config.audience,
        refresh: config.refresh,
        run: (ctx) => runAwsTarget('aws', config, ctx, sdk),
      },
    ],
    { wifCommand: wifCommandFrom(import.meta.url), timeoutSeconds: config.timeoutSeconds },
  );
});
