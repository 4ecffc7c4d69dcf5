import type { OptionReader } from '../options.ts';

/** The distinct 12-digit accounts that IAM role ARNs name (`arn:<partition>:iam::<account>:role/…`). */
export function accountsOfRoleArns(arns: readonly string[]): string[] {
  const accounts = arns.map((arn) => /^arn:[\w-]+:iam::(\d{12}):/.exec(arn.trim())?.[1] ?? '');
  return [...new Set(accounts.filter((a) => a !== ''))];
}

/**
 * With mask-aws-account-id, the accounts the options name (role-arn, chain-role-arns), read
 * the way parseAwsTargetConfig reads them, so a front door can mask them before the token
 * request — before the rest of the options are parsed and the SDK is loaded. A value
 * parseAwsTargetConfig refuses is refused here with the same message. Only the option
 * reader: this runs on the path to the first request.
 */
export function accountsToMaskEarly(options: OptionReader): string[] {
  if (!options.boolean('mask-aws-account-id', false)) return [];
  return accountsOfRoleArns([options.string('role-arn') ?? '', ...options.list('chain-role-arns')]);
}
