import { describe, expect, it } from 'vitest';
import { classifyStsError } from '../../../src/core/exchange/aws/errors.ts';
import { CLI_FLAGS } from '../../../src/core/exchange/options.ts';
import { EXPLAIN_ON_FAILURE_BY_DOOR } from '../../support/front-doors.ts';

const ROLE = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';

/** An STS error as @aws-sdk/client-sts throws it for an answered request. */
function answered(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}

describe('STS error classification', () => {
  it.each(EXPLAIN_ON_FAILURE_BY_DOOR)(
    'a trust policy refusal points at explain-on-failure the way the front door sets it (%j)',
    (door, setting) => {
      const error = classifyStsError(
        answered('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
        'AssumeRoleWithWebIdentity',
        ROLE,
        door,
      );
      expect(error.code).toBe('denied');
      expect(error.transient).toBe(false);
      expect(error.fix).toBe(
        `The role's trust policy does not accept this token; to see which condition fails, run \`wif explain\` with the token and the role's trust policy, or add ${setting}.`,
      );
    },
  );

  it('other refusals keep their fixed hint', () => {
    const error = classifyStsError(
      answered('RegionDisabledException', 'STS is not activated in this region'),
      'AssumeRoleWithWebIdentity',
      ROLE,
      CLI_FLAGS,
    );
    expect(error.fix).toBe(
      'Activate STS in this region (IAM account settings) or use another region.',
    );
  });
});
