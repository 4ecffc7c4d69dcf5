import { describe, expect, it } from 'vitest';
import { isWifError } from '../../../src/core/errors.ts';
import type { AwsAssumeRoleRequest } from '../../../src/core/policy/index.ts';
import {
  evaluateAwsAssumeRole,
  parseAwsAssumeRolePolicy,
  parseAwsTrustPolicy,
} from '../../../src/core/policy/index.ts';

/**
 * `sts:AssumeRole` by a role session, as IAM documents it: "AWS JSON policy elements:
 * Principal" (role, role-session, account and `*` principals), "Policy evaluation logic"
 * (explicit Deny wins), "Condition operators" (ARN operators match each ARN component on its
 * own) and "AWS global condition context keys" (`aws:PrincipalArn` of a role session is the
 * role's ARN).
 */
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci`;
const TARGET = `arn:aws:iam::${ACCOUNT}:role/readonly`;

const caller = { partition: 'aws', account: ACCOUNT, roleArn: ROLE, sessionArn: SESSION };

function allow(
  principal: unknown,
  extra: Record<string, unknown> = {},
): { Version: string; Statement: unknown[] } {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Chain', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra },
    ],
  };
}

const withExternalId = allow(
  { AWS: ROLE },
  {
    Condition: { StringEquals: { 'sts:ExternalId': 'vendor-7f3a' } },
  },
);

interface Case {
  readonly name: string;
  readonly policy: unknown;
  readonly externalId?: string;
  readonly accepted: boolean;
  readonly hint?: RegExp;
}

const cases: readonly Case[] = [
  {
    name: 'accepts a statement naming the role ARN, for any session of it',
    policy: allow({ AWS: ROLE }),
    accepted: true,
  },
  {
    name: 'accepts a statement naming this assumed-role session ARN',
    policy: allow({ AWS: SESSION }),
    accepted: true,
  },
  {
    name: 'refuses a statement naming another session of the same role',
    policy: allow({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/other` }),
    accepted: false,
    hint: /the caller is assumed-role\/deploy\/ci \(a session of role\/deploy\); statement Chain trusts assumed-role\/deploy\/other/,
  },
  {
    name: "accepts a statement naming the caller's account ID",
    policy: allow({ AWS: ACCOUNT }),
    accepted: true,
  },
  {
    name: "accepts a statement naming the caller's account root ARN",
    policy: allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` }),
    accepted: true,
  },
  {
    name: 'accepts Principal "*"',
    policy: allow('*'),
    accepted: true,
  },
  {
    name: 'accepts Principal.AWS "*" inside a list',
    policy: allow({ AWS: ['*'] }),
    accepted: true,
  },
  {
    name: 'refuses a statement naming another role, and says which role the caller is',
    policy: allow({ AWS: `arn:aws:iam::${ACCOUNT}:role/other` }),
    accepted: false,
    hint: /the caller is assumed-role\/deploy\/ci \(a session of role\/deploy\); statement Chain trusts role\/other; name arn:aws:iam::111122223333:role\/deploy in its Principal.AWS/,
  },
  {
    name: 'refuses a statement naming another account',
    policy: allow({ AWS: 'arn:aws:iam::999999999999:root' }),
    accepted: false,
    hint: /trusts account 999999999999/,
  },
  {
    name: 'lets an explicit Deny win over a matching Allow',
    policy: {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' },
        { Sid: 'NoDeploy', Effect: 'Deny', Principal: { AWS: ROLE }, Action: 'sts:*' },
      ],
    },
    accepted: false,
    hint: /statement NoDeploy explicitly denies assumed-role\/deploy\/ci/,
  },
  {
    name: 'accepts the matching sts:ExternalId',
    policy: withExternalId,
    externalId: 'vendor-7f3a',
    accepted: true,
  },
  {
    name: 'refuses another sts:ExternalId and names both values',
    policy: withExternalId,
    externalId: 'vendor-0000',
    accepted: false,
    hint: /sts:ExternalId is `vendor-0000`; statement Chain expects StringEquals `vendor-7f3a`/,
  },
  {
    name: 'refuses a call without ExternalId when the statement requires one',
    policy: withExternalId,
    accepted: false,
    hint: /requires sts:ExternalId `vendor-7f3a`, and the caller sent no ExternalId/,
  },
  {
    name: 'accepts a missing ExternalId under StringEqualsIfExists',
    policy: allow(
      { AWS: ACCOUNT },
      { Condition: { StringEqualsIfExists: { 'sts:ExternalId': 'x1' } } },
    ),
    accepted: true,
  },
  {
    name: 'compares condition key names case-insensitively (sts:externalid)',
    policy: allow({ AWS: ACCOUNT }, { Condition: { StringEquals: { 'sts:externalid': 'x1' } } }),
    externalId: 'x1',
    accepted: true,
  },
  {
    name: 'accepts aws:PrincipalArn under ArnLike with a wildcard account',
    policy: allow('*', {
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy' } },
    }),
    accepted: true,
  },
  {
    name: 'accepts aws:PrincipalArn under StringLike',
    policy: allow('*', { Condition: { StringLike: { 'aws:PrincipalArn': '*:role/dep*' } } }),
    accepted: true,
  },
  {
    name: "refuses aws:PrincipalArn equal to the session ARN: the key holds the role's ARN",
    policy: allow('*', { Condition: { ArnEquals: { 'aws:PrincipalArn': SESSION } } }),
    accepted: false,
    hint: /for a role session it is the role's ARN, not the session's/,
  },
  {
    name: 'does not let an ARN wildcard reach across components before the resource',
    policy: allow('*', {
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam:*:role/deploy' } },
    }),
    accepted: false,
  },
  {
    name: 'refuses when ArnNotLike excludes the caller, saying the value matched',
    policy: allow('*', {
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy' } },
    }),
    accepted: false,
    hint: /requires aws:PrincipalArn not to match/,
  },
  {
    name: 'accepts aws:PrincipalAccount equal to the caller account',
    policy: allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }),
    accepted: true,
  },
  {
    name: 'refuses a policy that trusts only web identity',
    policy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
      ],
    },
    accepted: false,
    hint: /trusts only web identity \(Principal.Federated\)/,
  },
  {
    name: 'refuses a statement naming the caller for another action only',
    policy: allow({ AWS: ROLE }, { Action: 'sts:TagSession' }),
    accepted: false,
    hint: /statement Chain names the caller but does not allow sts:AssumeRole/,
  },
];

describe('AWS trust policy for sts:AssumeRole by a role session', () => {
  it.each(cases)('$name', (c) => {
    const request: AwsAssumeRoleRequest = {
      caller,
      roleArn: TARGET,
      ...(c.externalId === undefined ? {} : { externalId: c.externalId }),
    };
    const decision = evaluateAwsAssumeRole(parseAwsAssumeRolePolicy(c.policy), request);
    expect(decision.accepted).toBe(c.accepted);
    if (c.accepted) {
      expect(decision.error).toBeUndefined();
      expect(decision.trace.every((line) => line.passed)).toBe(true);
    } else {
      expect(decision.trace.some((line) => !line.passed)).toBe(true);
      expect(decision.error).toEqual({
        code: 'AccessDenied',
        message: `User: ${SESSION} is not authorized to perform: sts:AssumeRole on resource: ${TARGET}`,
      });
    }
    if (c.hint !== undefined) expect(decision.hint).toMatch(c.hint);
  });

  it('traces the principal, the action and each condition of a statement, in that order', () => {
    const decision = evaluateAwsAssumeRole(parseAwsAssumeRolePolicy(withExternalId), {
      caller,
      externalId: 'vendor-0000',
    });
    expect(decision.trace.map((line) => [line.claim, line.operator, line.passed])).toEqual([
      ['Principal.AWS', 'names the caller', true],
      ['Action', 'allows', true],
      ['sts:ExternalId', 'StringEquals', false],
    ]);
    expect(decision.trace[0]?.note).toBe('names the role: every session of it matches');
    expect(decision.trace[2]).toMatchObject({ expected: 'vendor-7f3a', actual: 'vendor-0000' });
  });

  it('names the allowing statement when accepted, and the denying one when refused', () => {
    const allowed = evaluateAwsAssumeRole(parseAwsAssumeRolePolicy(allow({ AWS: ROLE })), {
      caller,
    });
    expect(allowed.allowedBy).toBe('Chain');
    const denied = evaluateAwsAssumeRole(
      parseAwsAssumeRolePolicy({
        Statement: [{ Sid: 'Stop', Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }],
      }),
      { caller },
    );
    expect(denied).toMatchObject({ accepted: false, deniedBy: 'Stop' });
    expect(denied.error?.message).toBe(
      `User: ${SESSION} is not authorized to perform: sts:AssumeRole`,
    );
  });
});

describe('parsing a trust policy for sts:AssumeRole', () => {
  function refusal(policy: unknown): string {
    try {
      parseAwsAssumeRolePolicy(policy, 'role.json');
    } catch (error) {
      if (isWifError(error) && error.code === 'usage') return error.message;
      throw error;
    }
    throw new Error('expected the policy to be refused');
  }

  it('refuses, in one line, a condition key it cannot evaluate on an sts:AssumeRole statement', () => {
    const message = refusal(
      allow({ AWS: ACCOUNT }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    );
    expect(message).toBe(
      'role.json: statement Chain conditions sts:AssumeRole on aws:MultiFactorAuthPresent, which wif cannot evaluate (it evaluates sts:ExternalId, aws:PrincipalArn, aws:PrincipalAccount).',
    );
  });

  it('refuses the unknown key on a Deny statement too, where ignoring it would under-deny', () => {
    const policy = {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' },
        {
          Sid: 'OffHours',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
        },
      ],
    };
    expect(refusal(policy)).toContain(
      'statement OffHours conditions sts:AssumeRole on aws:RequestedRegion',
    );
  });

  it('leaves web-identity condition keys on Principal.Federated statements alone', () => {
    const host = 'token.actions.githubusercontent.com';
    const policy = parseAwsAssumeRolePolicy({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${host}:sub`]: 'repo:org/app:ref:refs/heads/main' } },
        },
      ],
    });
    expect(policy.statements[0]?.conditions).toHaveLength(1);
  });

  it('evaluates a key it cannot fill in as absent, with a note, when the policy was parsed without the check', () => {
    const policy = parseAwsTrustPolicy(
      allow({ AWS: ACCOUNT }, { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }),
    );
    const decision = evaluateAwsAssumeRole(policy, { caller });
    expect(decision.accepted).toBe(false);
    expect(decision.trace.at(-1)?.note).toBe(
      'wif does not fill in this key for sts:AssumeRole; evaluated as absent',
    );
    expect(decision.hint).toMatch(/conditions on aws:SourceVpc, which wif does not fill in/);
  });
});
