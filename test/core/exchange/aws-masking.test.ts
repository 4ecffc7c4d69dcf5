import { describe, expect, it } from 'vitest';
import { describeError, exitCodeFor, WifError } from '../../../src/core/errors.ts';
import { parseAwsTargetConfig, runAwsTarget } from '../../../src/core/exchange/aws.ts';
import type { preloadStsSdk } from '../../../src/core/exchange/aws.ts';
import { CLI_FLAGS, OptionReader } from '../../../src/core/exchange/options.ts';
import type { TargetContext } from '../../../src/core/exchange/target.ts';

/**
 * mask-aws-account-id where nothing masks at run time (the CLI, GitLab): whatever the AWS
 * exchange throws is printed as it is, so it must already show the account as ***.
 */
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/wif-sandbox-deploy`;

const ctx: TargetContext = {
  env: {},
  token: () => Promise.resolve({ token: 'header.payload.signature', claims: {} }),
  log: () => undefined,
  refreshTokenFile: () => undefined,
  wifCommand: ['wif'],
  loginAttempted: () => undefined,
};

function config(mask: boolean) {
  return parseAwsTargetConfig(
    new OptionReader(
      { 'role-arn': ROLE, region: 'us-east-1', 'mask-aws-account-id': String(mask) },
      CLI_FLAGS,
    ),
    {},
  );
}

/** An SDK whose client fails as it is built, with an error of its own naming the role. */
function failingSdk(): ReturnType<typeof preloadStsSdk> {
  function STSClient(): never {
    throw new TypeError(`Cannot resolve the endpoint for ${ROLE}`);
  }
  return Promise.resolve({ STSClient } as unknown as Awaited<ReturnType<typeof preloadStsSdk>>);
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('the AWS exchange with mask-aws-account-id', () => {
  it('hides the account in an error that is not a WifError, and it still reads as a bug', async () => {
    const error = await thrown(runAwsTarget('aws', config(true), ctx, failingSdk()));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WifError);
    const raw = error as Error;
    expect(raw.name).toBe('TypeError');
    expect(raw.message).toBe(
      'Cannot resolve the endpoint for arn:aws:iam::***:role/wif-sandbox-deploy',
    );
    expect(raw.stack ?? '').not.toContain(ACCOUNT);
    expect(raw.cause).toBeUndefined();
    expect(describeError(error)).toBe(
      'internal error: Cannot resolve the endpoint for arn:aws:iam::***:role/wif-sandbox-deploy',
    );
    expect(exitCodeFor(error)).toBe(3);
  });

  it('leaves such an error as it is without the option', async () => {
    const error = await thrown(runAwsTarget('aws', config(false), ctx, failingSdk()));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(ACCOUNT);
  });
});
