import { setSecret } from '@actions/core';
import { accountsOfRoleArns } from '../../core/exchange/aws/accounts.ts';
import { prefetchIdToken, prefetchSent } from '../../platforms/github/early-token.ts';
import { wifCommandFrom } from '../../platforms/github/wif-command.ts';

// mask-aws-account-id: the accounts the inputs name are masked before anything else happens.
if (/^(true|yes|on|1)$/i.test(process.env['INPUT_MASK-AWS-ACCOUNT-ID']?.trim() ?? '')) {
  const arns = [
    process.env['INPUT_ROLE-ARN'] ?? '',
    ...(process.env['INPUT_CHAIN-ROLE-ARNS'] ?? '').split(/[\s,]+/),
  ];
  for (const account of accountsOfRoleArns(arns)) setSecret(account);
}

// The token request goes out first; the exchange and its SDK load while it is in flight.
// The audience is the `audience` input or the AWS default, as parseAwsTargetConfig reads it.
prefetchIdToken(process.env['INPUT_AUDIENCE'] || 'sts.amazonaws.com');
await prefetchSent();
const { main } = await import('./run.ts');
main(wifCommandFrom(import.meta.url));
