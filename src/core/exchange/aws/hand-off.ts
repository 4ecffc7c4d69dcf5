import { WifError } from '../../errors.ts';
import type { AwsTargetConfig } from './config.ts';

/**
 * How refresh mode hands a role to the SDKs for the rest of the job. Two ways exist:
 *
 * - web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` + `AWS_ROLE_SESSION_NAME` (or a
 *   `web_identity_token_file` profile). Every SDK's own provider re-assumes the role as the
 *   token file rotates, but it can say nothing else: no chained role, no session policy, no
 *   external ID, no duration (STS's default, one hour, applies).
 * - `credential_process`: a profile that runs `wif aws credential-process` with every option,
 *   so the SDK gets exactly the session wif was asked for.
 *
 * A hand-off that silently dropped an option would give the job another identity (the base
 * role instead of the chained one) or more permissions (no session policy) than it asked for.
 */

/** STS's default session duration, which the web-identity providers leave in place. */
const DEFAULT_DURATION_SECONDS = 3600;

/** Options the web-identity hand-off cannot carry, by option name; empty when it carries all. */
export function lostByWebIdentity(config: AwsTargetConfig): string[] {
  return [
    ...(config.chainRoleArns.length > 0 ? ['chain-role-arns'] : []),
    ...(config.inlineSessionPolicy === undefined ? [] : ['inline-session-policy']),
    ...(config.managedSessionPolicies.length > 0 ? ['managed-session-policies'] : []),
    ...(config.externalId === undefined ? [] : ['role-external-id']),
    ...(config.durationSeconds === DEFAULT_DURATION_SECONDS ? [] : ['role-duration-seconds']),
  ];
}

/**
 * Quoted for a POSIX shell (the JS and Go SDKs run credential_process through one) and for
 * Python's shlex (botocore): single quotes are the one form both read alike, and JSON policies
 * hold `"` and `${aws:…}` that double quotes would change. The line also has to survive the
 * config file's parsers, which end a value at whitespace followed by `;` or `#` (an inline
 * comment): those two characters are written outside the quotes, backslash-escaped, so none
 * ever follows whitespace. A newline cannot be written at all (it would end the line).
 */
function quoteArg(arg: string): string {
  if (/[\r\n]/.test(arg))
    throw new WifError('internal', 'A credential_process argument holds a line break.');
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  const quoted = arg.replace(/'/g, `'\\''`).replace(/[;#]/g, (c) => `'\\${c}'`);
  return `'${quoted}'`;
}

/** The `credential_process` command that assumes the same session as `config` from `tokenFile`. */
export function credentialProcessCommand(
  config: AwsTargetConfig,
  tokenFile: string,
  wifCommand: readonly string[],
): string {
  const option = (name: string, value: string | undefined): string[] =>
    value === undefined ? [] : [`--${name}`, value];
  const list = (name: string, values: readonly string[]): string[] =>
    values.length === 0 ? [] : [`--${name}`, values.join(',')];
  const args = [
    ...wifCommand,
    'aws',
    'credential-process',
    '--token-file',
    tokenFile,
    '--role-arn',
    config.roleArn,
    '--region',
    config.region,
    '--role-session-name',
    config.sessionName,
    '--role-duration-seconds',
    String(config.durationSeconds),
    ...list('chain-role-arns', config.chainRoleArns),
    ...option('role-external-id', config.externalId),
    ...option('inline-session-policy', config.inlineSessionPolicy),
    ...list('managed-session-policies', config.managedSessionPolicies),
    ...option('sts-endpoint', config.stsEndpoint),
    // Only the option: proxy variables reach the process through the SDK's environment.
    ...option('http-proxy', config.httpProxy),
    '--retry-max-attempts',
    String(config.retryMaxAttempts),
    '--timeout-seconds',
    String(config.timeoutSeconds),
  ];
  return args.map(quoteArg).join(' ');
}
