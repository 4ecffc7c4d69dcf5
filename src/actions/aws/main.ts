import { accountsToMaskEarly } from '../../core/exchange/aws/accounts.ts';
import { ACTION_INPUTS, OptionReader } from '../../core/exchange/options.ts';
import { prefetchIdToken, prefetchSent } from '../../platforms/github/early-token.ts';
import { readInputs } from '../../platforms/github/inputs.ts';
import { maskOnce } from '../../platforms/github/masker.ts';
import { runAction } from '../../platforms/github/run-action.ts';
import { wifCommandFrom } from '../../platforms/github/wif-command.ts';

// mask-aws-account-id: the accounts the inputs name are masked before anything else happens,
// read by the exchange's own option parsing (only these inputs: the rest load with run.ts).
let refused: Error | undefined;
try {
  const early = readInputs(['mask-aws-account-id', 'role-arn', 'chain-role-arns']);
  for (const account of accountsToMaskEarly(new OptionReader(early, ACTION_INPUTS)))
    maskOnce(account);
} catch (error) {
  refused = error instanceof Error ? error : new Error(String(error));
}

if (refused === undefined) {
  // The token request goes out first; the exchange and its SDK load while it is in flight.
  // The audience is the `audience` input or the AWS default, as parseAwsTargetConfig reads it.
  prefetchIdToken(process.env['INPUT_AUDIENCE'] || 'sts.amazonaws.com');
  await prefetchSent();
  const { main } = await import('./run.ts');
  main(wifCommandFrom(import.meta.url));
} else {
  // A value the exchange would refuse: the same one line, and no token is requested.
  runAction(() => Promise.reject(refused));
}
