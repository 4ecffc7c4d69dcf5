import { WifError } from '../../errors.ts';
import type { OptionReader } from '../options.ts';
import { isProxyUrl, proxyForUrl, stsEndpointUrl } from './proxy.ts';
import { defaultSessionName, isValidSessionName } from './session-name.ts';

/** Everything an AWS target can be told, at parity with configure-aws-credentials' meaningful inputs. */
export interface AwsTargetConfig {
  readonly roleArn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  readonly audience: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly inlineSessionPolicy: string | undefined;
  readonly managedSessionPolicies: readonly string[];
  /** Roles assumed in order with the previous session's credentials (role chaining). */
  readonly chainRoleArns: readonly string[];
  readonly externalId: string | undefined;
  readonly allowedAccountIds: readonly string[];
  readonly outputCredentials: boolean;
  readonly exportEnv: boolean;
  readonly profile: string | undefined;
  readonly overwrite: boolean;
  readonly maskAccountId: boolean;
  readonly stsEndpoint: string | undefined;
  readonly proxy: string | undefined;
  readonly retryMaxAttempts: number;
  readonly timeoutSeconds: number;
  readonly refresh: boolean;
  /** A trust config file to explain a refusal with (explain-on-failure). */
  readonly explainOnFailure: string | undefined;
}

export const awsOptionNames = [
  'role-arn',
  'region',
  'audience',
  'role-session-name',
  'role-duration-seconds',
  'inline-session-policy',
  'managed-session-policies',
  'chain-role-arns',
  'role-external-id',
  'allowed-account-ids',
  'output-credentials',
  'export-env',
  'profile',
  'overwrite',
  'mask-aws-account-id',
  'sts-endpoint',
  'http-proxy',
  'retry-max-attempts',
  'timeout-seconds',
  'refresh',
  'explain-on-failure',
] as const;

const ROLE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const POLICY_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const PROFILE = /^[\w-]{1,64}$/;

export function parseRoleArn(arn: string, label: string): { partition: string; accountId: string } {
  const m = ROLE_ARN.exec(arn);
  const partition = m?.[1];
  const accountId = m?.[2];
  if (partition === undefined || accountId === undefined) {
    throw new WifError('usage', `${label} "${arn}" is not an IAM role ARN.`, {
      fix: 'Use the form arn:aws:iam::123456789012:role/NAME (copy it from the role page or `aws iam get-role`).',
    });
  }
  return { partition, accountId };
}

export function parseAwsTargetConfig(
  options: OptionReader,
  env: Readonly<Record<string, string | undefined>>,
): AwsTargetConfig {
  const roleArn = options.required('role-arn', 'the ARN of the IAM role to assume');
  const { partition, accountId } = parseRoleArn(roleArn, options.label('role-arn'));

  const region = options.string('region') ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (region === undefined) {
    throw new WifError(
      'usage',
      `${options.label('region')} is required: the AWS region for STS and the SDKs (e.g. us-east-1).`,
    );
  }
  if (!REGION.test(region))
    throw new WifError(
      'usage',
      `${options.label('region')} "${region}" is not an AWS region name (e.g. eu-west-1).`,
    );

  const sessionName = options.string('role-session-name') ?? defaultSessionName(env);
  if (!isValidSessionName(sessionName)) {
    throw new WifError(
      'usage',
      `${options.label('role-session-name')} "${sessionName}" must be 2–64 characters of letters, digits and +=,.@_-.`,
    );
  }

  const chainRoleArns = options.list('chain-role-arns');
  for (const arn of chainRoleArns) parseRoleArn(arn, options.label('chain-role-arns'));
  // STS caps chained sessions at one hour; say so before the call rather than after it.
  const maxDuration = chainRoleArns.length > 0 ? 3600 : 43200;
  const durationSeconds = options.integer('role-duration-seconds', 3600, {
    min: 900,
    max: maxDuration,
    unit: 'seconds',
  });

  const inlineSessionPolicy = options.string('inline-session-policy');
  if (inlineSessionPolicy !== undefined) {
    try {
      JSON.parse(inlineSessionPolicy);
    } catch {
      throw new WifError('usage', `${options.label('inline-session-policy')} is not valid JSON.`, {
        fix: 'Pass an IAM policy document ({"Version": …, "Statement": […]}).',
      });
    }
  }
  const managedSessionPolicies = options.list('managed-session-policies');
  if (managedSessionPolicies.length > 10)
    throw new WifError(
      'usage',
      `${options.label('managed-session-policies')} lists ${managedSessionPolicies.length} policies; STS accepts at most 10.`,
    );
  for (const arn of managedSessionPolicies) {
    if (!POLICY_ARN.test(arn))
      throw new WifError(
        'usage',
        `${options.label('managed-session-policies')}: "${arn}" is not an IAM policy ARN.`,
      );
  }

  const allowedAccountIds = options.list('allowed-account-ids');
  for (const id of allowedAccountIds) {
    if (!/^\d{12}$/.test(id))
      throw new WifError(
        'usage',
        `${options.label('allowed-account-ids')}: "${id}" is not a 12-digit AWS account ID.`,
      );
  }

  const profile = options.string('profile');
  if (profile !== undefined && !PROFILE.test(profile)) {
    throw new WifError(
      'usage',
      `${options.label('profile')} "${profile}" must be letters, digits, dashes or underscores.`,
    );
  }
  const refresh = options.boolean('refresh', false);
  const stsEndpoint = options.url('sts-endpoint')?.toString();
  const proxySetting = proxyForUrl(
    stsEndpointUrl(stsEndpoint, region, partition, env),
    options.url('http-proxy')?.toString(),
    env,
  );
  if (proxySetting !== undefined && !isProxyUrl(proxySetting.value)) {
    // The value may hold the proxy's password: name where it came from, never print it.
    throw new WifError('usage', `${proxySetting.name} is not an http:// or https:// proxy URL.`, {
      fix: 'Set it to the proxy as a URL, e.g. http://proxy.example.com:3128, or unset it.',
    });
  }
  const proxy = proxySetting?.value;

  return {
    roleArn,
    accountId,
    partition,
    region,
    audience: options.string('audience') ?? 'sts.amazonaws.com',
    sessionName,
    durationSeconds,
    inlineSessionPolicy,
    managedSessionPolicies,
    chainRoleArns,
    externalId: options.string('role-external-id'),
    allowedAccountIds,
    outputCredentials: options.boolean('output-credentials', false),
    exportEnv: options.boolean('export-env', profile === undefined),
    profile,
    overwrite: options.boolean('overwrite', false),
    maskAccountId: options.boolean('mask-aws-account-id', false),
    stsEndpoint,
    proxy,
    retryMaxAttempts: options.integer('retry-max-attempts', 5, { min: 1, max: 20 }),
    timeoutSeconds: options.integer('timeout-seconds', 120, { min: 5, max: 3600, unit: 'seconds' }),
    refresh,
    explainOnFailure: options.string('explain-on-failure'),
  };
}
