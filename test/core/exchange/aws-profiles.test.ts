import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { afterAll, describe, expect, it } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { parseAwsTargetConfig } from '../../../src/core/exchange/aws.ts';
import { credentialProcessCommand } from '../../../src/core/exchange/aws/hand-off.ts';
import { mergeProfile } from '../../../src/core/exchange/aws/profiles.ts';
import { withoutSection } from '../../../src/core/exchange/aws/shared-ini.ts';
import {
  ACTION_INPUTS,
  CLI_FLAGS,
  OptionReader,
  type FrontDoor,
} from '../../../src/core/exchange/options.ts';

const ROLE = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';
const dir = mkdtempSync(join(tmpdir(), 'wif-aws-profiles-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let written = 0;

/** What the AWS SDK for JavaScript reads from the files mergeProfile wrote. */
async function readBySdk(files: { credentials: string; config: string }) {
  // New paths each time: the SDK caches a shared file's content by its path.
  written += 1;
  const credentials = join(dir, `aws-credentials-${written}`);
  const config = join(dir, `aws-config-${written}`);
  writeFileSync(credentials, files.credentials);
  writeFileSync(config, files.config);
  return loadSharedConfigFiles({ filepath: credentials, configFilepath: config });
}

describe('AWS profile files', () => {
  it('hold values with =, ; and # exactly as the SDK reads them', async () => {
    const keys = {
      aws_access_key_id: 'ASIAEXAMPLE000000000',
      aws_secret_access_key: 'abc/def+ghi=jkl;mno#pqr',
      aws_session_token: 'IQoJb3JpZ2luX2Vj//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==',
    };
    const files = mergeProfile(
      {},
      'deploy',
      { credentials: keys, config: { region: 'eu-west-1' } },
      false,
      CLI_FLAGS,
    );
    const read = await readBySdk(files);
    expect(read.credentialsFile['deploy']).toEqual(keys);
    expect(read.configFile['deploy']).toEqual({ region: 'eu-west-1' });
  });

  it('hold a credential_process line whose policy has " #" and ";" intact for the SDK and the shell', async () => {
    const policy =
      '{"Version":"2012-10-17","Statement":[{"Sid":"a #1; b","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    const config = parseAwsTargetConfig(
      new OptionReader(
        { 'role-arn': ROLE, region: 'us-east-1', 'inline-session-policy': policy },
        CLI_FLAGS,
      ),
      {},
    );
    const command = credentialProcessCommand(config, '/tmp/wif-refresh-x/token', ['wif']);
    const files = mergeProfile(
      {},
      'deploy',
      { config: { region: 'us-east-1', credential_process: command } },
      false,
      CLI_FLAGS,
    );
    const read = await readBySdk(files);
    const line = read.configFile['deploy']?.['credential_process'] ?? '';
    expect(line).toBe(command);
    // The SDK runs the line through a shell; printf shows the argv that shell makes.
    const argv = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line.replace(/^wif /, '')}`])
      .toString()
      .split('\0');
    expect(argv[argv.indexOf('--inline-session-policy') + 1]).toBe(policy);
  });

  it('carry over a profile an earlier step wrote, unchanged', async () => {
    const first = mergeProfile(
      {},
      'one',
      { credentials: { aws_session_token: 'tok=en;x#y' }, config: { region: 'us-east-1' } },
      false,
      CLI_FLAGS,
    );
    const second = mergeProfile(
      first,
      'two',
      {
        config: { region: 'eu-west-1', credential_process: "wif aws credential-process 'a'\\#'b'" },
      },
      false,
      CLI_FLAGS,
    );
    const read = await readBySdk(second);
    expect(read.credentialsFile['one']).toEqual({ aws_session_token: 'tok=en;x#y' });
    expect(read.configFile['one']).toEqual({ region: 'us-east-1' });
    expect(read.configFile['two']?.['credential_process']).toBe(
      "wif aws credential-process 'a'\\#'b'",
    );
  });

  it.each<[FrontDoor, RegExp]>([
    [CLI_FLAGS, /Choose another name \(--profile NAME\), or add --overwrite to replace it\.$/],
    [
      ACTION_INPUTS,
      /Choose another name \(profile: NAME\), or add overwrite: true to replace it\.$/,
    ],
    [
      { kind: 'file', file: 'wif.yaml', target: 'prod' },
      /\(profile: NAME \(in targets\.prod\)\), or add overwrite: true \(in targets\.prod\)/,
    ],
  ])('refuse to reuse a name, with a fix in the front door syntax (%j)', (door, fix) => {
    const files = mergeProfile({}, 'deploy', { config: { region: 'us-east-1' } }, false, door);
    let error: unknown;
    try {
      mergeProfile(files, 'deploy', { config: { region: 'us-east-1' } }, false, door);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WifError);
    expect((error as WifError).oneLine()).toMatch(fix);
  });
});

describe('AWS profile files carried over from an earlier step and edited since', () => {
  // What `aws configure set` and a person leave in the file: comments, a nested s3 block,
  // another profile, Windows line endings.
  const config = [
    '# Shared by the build tools; edited by hand.',
    '[default]',
    'region = us-east-1 ; the bucket lives here',
    's3 =',
    '    max_concurrent_requests = 20',
    '    multipart_threshold = 64MB',
    '',
    '; read by the release scripts',
    '[profile tools]',
    'output = json',
    '',
  ].join('\r\n');
  const credentials = [
    '; static keys of the local emulator',
    '[tools]',
    'aws_access_key_id = AKIALOCAL',
    '',
  ].join('\r\n');
  const keys = {
    aws_access_key_id: 'ASIAEXAMPLE000000000',
    aws_secret_access_key: 'abc/def+ghi=jkl;mno#pqr',
    aws_session_token: 'IQoJb3JpZ2luX2Vj//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==',
  };
  /** wif's profile "deploy", with static keys, written into those files. */
  const withDeploy = () =>
    mergeProfile(
      { credentials, config },
      'deploy',
      { credentials: keys, config: { region: 'eu-west-1' } },
      false,
      CLI_FLAGS,
    );

  it("keep every byte outside wif's profile when it is written, and read by the SDK", async () => {
    const files = withDeploy();
    expect(files.config).toBe(`${config}\r\n[profile deploy]\r\nregion = eu-west-1\r\n`);
    expect(files.credentials.startsWith(`${credentials}\r\n[deploy]\r\n`)).toBe(true);
    const read = await readBySdk(files);
    expect(read.configFile['deploy']).toEqual({ region: 'eu-west-1' });
    expect(read.credentialsFile['deploy']).toEqual(keys);
    // The nested block is still nested: the SDK reads it as s3.*, not as keys of the profile.
    expect(read.configFile['default']).toEqual({
      region: 'us-east-1',
      's3.max_concurrent_requests': '20',
      's3.multipart_threshold': '64MB',
    });
    expect(read.configFile['tools']).toEqual({ output: 'json' });
  });

  it("give back the file byte for byte when wif's profile is removed again", () => {
    const files = withDeploy();
    expect(withoutSection(files.config, (h) => h === 'profile deploy')).toBe(config);
    expect(withoutSection(files.credentials, (h) => h === 'deploy')).toBe(credentials);
  });

  it('keep a missing last line break missing, through a write and a removal', async () => {
    const unended = config.replace(/\r\n$/, '');
    const files = mergeProfile(
      { credentials, config: unended },
      'deploy',
      { credentials: keys, config: { region: 'eu-west-1' } },
      false,
      CLI_FLAGS,
    );
    expect(files.config).toBe(`${unended}\r\n\r\n[profile deploy]\r\nregion = eu-west-1`);
    expect((await readBySdk(files)).configFile['deploy']).toEqual({ region: 'eu-west-1' });
    expect(withoutSection(files.config, (h) => h === 'profile deploy')).toBe(unended);
  });

  it('drop only the static keys when the profile is replaced by one without them', () => {
    const withKeys = withDeploy();
    const refreshed = mergeProfile(
      withKeys,
      'deploy',
      { config: { region: 'eu-west-1', web_identity_token_file: '/tmp/wif-refresh-x/token' } },
      true,
      CLI_FLAGS,
    );
    expect(refreshed.credentials).toBe(credentials);
    expect(refreshed.config).toBe(
      `${config}\r\n[profile deploy]\r\nregion = eu-west-1\r\nweb_identity_token_file = /tmp/wif-refresh-x/token\r\n`,
    );
  });

  it("replace wif's profile where it stands, leaving the lines around it", async () => {
    const before = '[profile a]\nregion = us-east-1\n\n';
    const after =
      '\n# b is for batch jobs\n[profile b]\nregion = us-west-2\ns3 =\n  addressing_style = path\n';
    const files = mergeProfile(
      { config: `${before}[profile deploy]\nregion = eu-west-1\n${after}` },
      'deploy',
      { config: { region: 'eu-central-1', endpoint_url: 'https://sts.example' } },
      true,
      CLI_FLAGS,
    );
    expect(files.config).toBe(
      `${before}[profile deploy]\nregion = eu-central-1\nendpoint_url = https://sts.example\n${after}`,
    );
    const read = await readBySdk(files);
    expect(read.configFile['deploy']).toEqual({
      region: 'eu-central-1',
      endpoint_url: 'https://sts.example',
    });
    expect(read.configFile['b']).toEqual({ region: 'us-west-2', 's3.addressing_style': 'path' });
  });

  it("take a quoted [profile 'deploy'] for the same profile, as the SDK does, and refuse to reuse it", async () => {
    const quoted = "[profile 'deploy']\nregion = ap-south-1\n";
    expect((await readBySdk({ credentials: '', config: quoted })).configFile['deploy']).toEqual({
      region: 'ap-south-1',
    });
    expect(() =>
      mergeProfile(
        { config: quoted },
        'deploy',
        { config: { region: 'us-east-1' } },
        false,
        CLI_FLAGS,
      ),
    ).toThrow(/AWS profile "deploy" was already written/);
    const replaced = mergeProfile(
      { config: quoted },
      'deploy',
      { config: { region: 'us-east-1' } },
      true,
      CLI_FLAGS,
    );
    expect(replaced.config).toBe('[profile deploy]\nregion = us-east-1\n');
  });
});
