import { describe, expect, it } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { awsMasks, parseAwsTargetConfig } from '../../../src/core/exchange/aws.ts';
import { accountsToMaskEarly } from '../../../src/core/exchange/aws/accounts.ts';
import {
  ACTION_INPUTS,
  CLI_FLAGS,
  OptionReader,
  type FrontDoor,
  type RawOptions,
} from '../../../src/core/exchange/options.ts';

const ROLE = 'arn:aws:iam::111122223333:role/deploy';
const CHAIN = 'arn:aws-us-gov:iam::444455556666:role/a\n arn:aws:iam::777788889999:role/b';

function early(options: RawOptions, door: FrontDoor = ACTION_INPUTS): string[] {
  return accountsToMaskEarly(new OptionReader(options, door));
}

function parsed(options: RawOptions, door: FrontDoor = ACTION_INPUTS): readonly string[] {
  return awsMasks(parseAwsTargetConfig(new OptionReader(options, door), {}));
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof WifError) return error.oneLine();
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the accounts masked before the token request (mask-aws-account-id)', () => {
  it.each(['true', 'TRUE', 'yes', 'On', '1', ' true '])(
    '"%s" masks the accounts of role-arn and chain-role-arns, as the exchange reads them',
    (value) => {
      const options = {
        'role-arn': ROLE,
        'chain-role-arns': CHAIN,
        'mask-aws-account-id': value,
        region: 'us-east-1',
      };
      expect(early(options)).toEqual(['111122223333', '444455556666', '777788889999']);
      expect(early(options)).toEqual(parsed(options));
    },
  );

  it.each([undefined, '', 'false', 'NO', 'off', '0'])('"%s" masks nothing', (value) => {
    const options = { 'role-arn': ROLE, 'mask-aws-account-id': value, region: 'us-east-1' };
    expect(early(options)).toEqual([]);
    expect(parsed(options)).toEqual([]);
  });

  it.each<FrontDoor>([ACTION_INPUTS, CLI_FLAGS, { kind: 'file', file: 'wif.yaml', target: 'p' }])(
    'refuses a value that is not a boolean with the exchange’s own message (%j)',
    (door) => {
      const options = { 'role-arn': ROLE, 'mask-aws-account-id': 'maybe', region: 'us-east-1' };
      const line = refusal(() => early(options, door));
      expect(line).toBe(refusal(() => parsed(options, door)));
      expect(line).toMatch(/mask-aws-account-id.* must be true or false, not "maybe"\.$/);
    },
  );

  it('names no account for an ARN that does not parse (the exchange then refuses it)', () => {
    expect(
      early({ 'role-arn': 'arn:aws:iam::12345:role/x', 'mask-aws-account-id': 'true' }),
    ).toEqual([]);
  });
});
