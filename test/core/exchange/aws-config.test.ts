import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { awsOptionNames, parseAwsTargetConfig } from '../../../src/core/exchange/aws.ts';
import { credentialProcessCommand } from '../../../src/core/exchange/aws/hand-off.ts';
import { CLI_FLAGS, OptionReader, type RawOptions } from '../../../src/core/exchange/options.ts';
import { WifError } from '../../../src/core/errors.ts';
import { parseTargetFlags } from '../../../src/cli/target-command.ts';

const ROLE = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';
const CHAINED = 'arn:aws:iam::111122223333:role/wif-sandbox-readonly';
const POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}]}';

function parse(options: RawOptions, env: Record<string, string> = {}) {
  return parseAwsTargetConfig(new OptionReader(options, CLI_FLAGS), env);
}

function refusal(options: RawOptions, env: Record<string, string> = {}): WifError {
  try {
    parse(options, env);
  } catch (error) {
    if (error instanceof WifError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('AWS partitions in role ARNs', () => {
  it.each([
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-iso', 'us-iso-east-1'],
    ['aws-iso-b', 'us-isob-east-1'],
    ['aws-iso-e', 'eu-isoe-west-1'],
    ['aws-iso-f', 'us-isof-south-1'],
    ['aws-eusc', 'eusc-de-east-1'],
  ])('accepts a role in %s (region %s)', (partition, region) => {
    const config = parse({ 'role-arn': `arn:${partition}:iam::111122223333:role/r`, region });
    expect(config.partition).toBe(partition);
    expect(config.region).toBe(region);
  });

  it('refuses an unknown partition in one line', () => {
    const error = refusal({
      'role-arn': 'arn:aws-moon:iam::111122223333:role/r',
      region: 'us-east-1',
    });
    expect(error.code).toBe('usage');
    expect(error.oneLine()).toMatch(
      /^--role-arn "arn:aws-moon:iam::111122223333:role\/r" is not an IAM role ARN\./,
    );
  });

  it('accepts managed session policies of the role partition, AWS-managed ones too', () => {
    const config = parse({
      'role-arn': 'arn:aws-eusc:iam::111122223333:role/r',
      region: 'eusc-de-east-1',
      'managed-session-policies': 'arn:aws-eusc:iam::aws:policy/ReadOnlyAccess',
    });
    expect(config.managedSessionPolicies).toEqual(['arn:aws-eusc:iam::aws:policy/ReadOnlyAccess']);
  });
});

describe('AWS region names', () => {
  it.each(['eu-west-1', 'ap-southeast-7', 'mx-central-1', 'xy-newplace-12', 'xy-gov-newplace-3'])(
    'accepts %s (the shape AWS names regions in, also regions launched later)',
    (region) => {
      expect(parse({ 'role-arn': ROLE, region }).region).toBe(region);
    },
  );

  it.each([
    'moon-1',
    'us-east',
    'US-EAST-1',
    'us_east_1',
    'us-east-1a',
    'eu--west-1',
    '-eu-west-1',
  ])('refuses %j in one line', (region) => {
    const error = refusal({ 'role-arn': ROLE, region });
    expect(error.oneLine()).toBe(
      `--region "${region}" is not an AWS region name (e.g. eu-west-1).`,
    );
  });

  it('refuses a region of another partition than the role, before any request', () => {
    const error = refusal({ 'role-arn': ROLE, region: 'cn-north-1' });
    expect(error.code).toBe('usage');
    expect(error.oneLine()).toMatch(
      /^--region "cn-north-1" is in the aws-cn partition, but --role-arn is in aws\./,
    );
  });
});

describe('refresh mode with exported web-identity variables', () => {
  it.each([
    [{ 'chain-role-arns': CHAINED }, '--chain-role-arns'],
    [{ 'inline-session-policy': POLICY }, '--inline-session-policy'],
    [
      { 'managed-session-policies': 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      '--managed-session-policies',
    ],
    [{ 'role-external-id': 'ext-1234' }, '--role-external-id'],
    [{ 'role-duration-seconds': '900' }, '--role-duration-seconds'],
  ])(
    'refuses %j, which AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN cannot carry',
    (extra, label) => {
      const error = refusal({ 'role-arn': ROLE, region: 'us-east-1', refresh: 'true', ...extra });
      expect(error.code).toBe('usage');
      const line = error.oneLine();
      expect(line).not.toMatch(/\n/);
      expect(line).toMatch(new RegExp(`^${label} cannot be combined with --refresh`));
      expect(line).toMatch(/Use --profile NAME .*wif aws credential-process.*Or drop --refresh\.$/);
    },
  );

  it('also with a profile when export-env is true', () => {
    const error = refusal({
      'role-arn': ROLE,
      region: 'us-east-1',
      refresh: 'true',
      profile: 'deploy',
      'export-env': 'true',
      'chain-role-arns': CHAINED,
    });
    expect(error.oneLine()).toMatch(/^--chain-role-arns cannot be combined with --refresh/);
  });

  it('is accepted with a profile (a credential_process profile carries every option), or without those options', () => {
    expect(
      parse({
        'role-arn': ROLE,
        region: 'us-east-1',
        refresh: 'true',
        profile: 'deploy',
        'chain-role-arns': CHAINED,
      }).chainRoleArns,
    ).toEqual([CHAINED]);
    expect(parse({ 'role-arn': ROLE, region: 'us-east-1', refresh: 'true' }).refresh).toBe(true);
  });
});

describe('the credential_process command', () => {
  const options: RawOptions = {
    'role-arn': ROLE,
    region: 'eu-west-1',
    'role-session-name': 'ci-run-1',
    'role-duration-seconds': '1800',
    'chain-role-arns': CHAINED,
    'role-external-id': "ext'id",
    'inline-session-policy': POLICY,
    'managed-session-policies':
      'arn:aws:iam::aws:policy/ReadOnlyAccess,arn:aws:iam::111122223333:policy/p',
    'sts-endpoint': 'http://127.0.0.1:4566/',
    'http-proxy': 'http://proxy.internal:3128/',
    'retry-max-attempts': '7',
    'timeout-seconds': '60',
  };

  it('re-creates the very session config through a shell, every option carried over', () => {
    const config = parse(options);
    const command = credentialProcessCommand(config, '/tmp/wif-refresh-x/token', ['wif']);
    // What the SDK does with it: run it through a shell. printf shows the argv the shell makes.
    const argv = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${command.replace(/^wif /, '')}`])
      .toString()
      .split('\0')
      .filter((a) => a !== '');
    expect(argv.slice(0, 2)).toEqual(['aws', 'credential-process']);
    const flags = parseTargetFlags(
      'aws credential-process',
      argv.slice(2),
      awsOptionNames,
      [],
      ['token-file'],
    );
    expect(flags.extra['token-file']).toBe('/tmp/wif-refresh-x/token');
    const again = parseAwsTargetConfig(new OptionReader(flags.options, CLI_FLAGS), {});
    expect(again).toEqual(config);
  });

  it('quotes values so a shell and shlex read them alike (single quotes)', () => {
    const config = parse(options);
    const command = credentialProcessCommand(config, '/tmp/t', ['wif']);
    expect(command).toContain(`--role-external-id 'ext'\\''id'`);
    expect(command).toContain(`--inline-session-policy '${POLICY}'`);
  });
});

describe('URL options never echo credentials', () => {
  it('a refused http-proxy shows its userinfo as ***', () => {
    const error = refusal({
      'role-arn': ROLE,
      region: 'us-east-1',
      'http-proxy': 'socks5://user:s3cretpw@proxy:1080',
    });
    expect(error.oneLine()).toBe(
      '--http-proxy must be an http(s) URL, not "socks5://***@proxy:1080".',
    );
    expect(error.oneLine()).not.toContain('s3cretpw');
  });

  it('a refused sts-endpoint without a scheme shows nothing before its @', () => {
    const error = refusal({
      'role-arn': ROLE,
      region: 'us-east-1',
      'sts-endpoint': 'user:s3cretpw@sts.local',
    });
    expect(error.oneLine()).not.toContain('s3cretpw');
    expect(error.oneLine()).toContain('"***@sts.local"');
  });
});
