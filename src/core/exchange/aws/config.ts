import { WifError } from '../../errors.ts';
import type { FrontDoor, OptionReader } from '../options.ts';
import { lostByWebIdentity } from './hand-off.ts';
import { awsPartitionIds, partitionOfRegion } from './partitions.ts';
import { isProxyUrl, proxyForUrl, stsEndpointUrl } from './proxy.ts';
import { defaultSessionName, isValidSessionName } from './session-name.ts';

/** Everything an AWS target can be told, at parity with configure-aws-credentials' meaningful inputs. */
export interface AwsTargetConfig {
  /** The front door the options came through: fixes name options in its syntax. */
  readonly door: FrontDoor;
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
  /** The proxy the STS calls use: the http-proxy option, else the proxy variables. */
  readonly proxy: string | undefined;
  /** The http-proxy option as given (a hand-off passes only this on; variables are inherited). */
  readonly httpProxy: string | undefined;
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

const PARTITION = `(${awsPartitionIds.join('|')})`;
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}$`);
const POLICY_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]+$`);
/**
 * The general shape of AWS region names (`us-east-1`, `us-gov-west-1`, `us-isob-east-1`,
 * `eusc-de-east-1`): a prefix, one or more words, a number. Not a list, so a region launched
 * after this release is still accepted.
 */
const REGION = /^[a-z]{2,5}(?:-[a-z]+){1,3}-\d{1,2}$/;
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
  // The SDK picks the STS endpoint by region: a role of another partition would be refused there.
  const regionPartition = partitionOfRegion(region)?.id;
  if (regionPartition !== undefined && regionPartition !== partition)
    throw new WifError(
      'usage',
      `${options.label('region')} "${region}" is in the ${regionPartition} partition, but ${options.label('role-arn')} is in ${partition}.`,
      {
        fix: `Use a region of the ${partition} partition, or the role's ARN in ${regionPartition}.`,
      },
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

  const inlineSessionPolicy = minifiedJson(options, 'inline-session-policy');
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
  const httpProxy = options.url('http-proxy')?.toString();
  const proxySetting = proxyForUrl(stsEndpointUrl(stsEndpoint, region, env), httpProxy, env);
  if (proxySetting !== undefined && !isProxyUrl(proxySetting.value)) {
    // The value may hold the proxy's password: name where it came from, never print it.
    throw new WifError('usage', `${proxySetting.name} is not an http:// or https:// proxy URL.`, {
      fix: 'Set it to the proxy as a URL, e.g. http://proxy.example.com:3128, or unset it.',
    });
  }
  const proxy = proxySetting?.value;

  const config: AwsTargetConfig = {
    door: options.door,
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
    httpProxy,
    retryMaxAttempts: options.integer('retry-max-attempts', 5, { min: 1, max: 20 }),
    timeoutSeconds: options.integer('timeout-seconds', 120, { min: 5, max: 3600, unit: 'seconds' }),
    refresh,
    explainOnFailure: options.string('explain-on-failure'),
  };
  if (config.refresh && config.exportEnv) refuseLossyWebIdentity(config, options);
  return config;
}

/**
 * Refresh mode exports the web-identity variables, which cannot carry every option: the SDKs
 * would run as the base role, or without the session policy wif applied. Refused before any
 * request; a credential_process profile carries them all.
 */
function refuseLossyWebIdentity(config: AwsTargetConfig, options: OptionReader): void {
  const lost = lostByWebIdentity(config);
  if (lost.length === 0) return;
  throw new WifError(
    'usage',
    `${lost.map((n) => options.label(n)).join(', ')} cannot be combined with ${options.label('refresh')} when it exports AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: the SDKs' web-identity provider reads only the role ARN and session name, so their session would differ from the one wif checked.`,
    {
      fix: `Use ${options.setting('profile', 'NAME')} (without ${options.label('export-env')}): that profile runs \`wif aws credential-process\` with every option. Or drop ${options.label('refresh')}.`,
    },
  );
}

/**
 * A JSON option on one line, without insignificant whitespace: the same document to STS (which
 * counts its characters), and a value a credential_process line in the AWS config file can hold
 * (a YAML block scalar's newlines would end the line).
 */
function minifiedJson(options: OptionReader, name: string): string | undefined {
  const value = options.string(name);
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    throw new WifError('usage', `${options.label(name)} is not valid JSON.`, {
      fix: 'Pass an IAM policy document ({"Version": …, "Statement": […]}).',
    });
  }
}
