import {
  evaluateAwsAssumeRole,
  type AwsAssumeRoleDecision,
  type AwsRoleSessionCaller,
  type AwsTrustPolicy,
} from '../../core/policy/index.ts';
import type { Session } from './sessions.ts';

/**
 * Who may call `sts:AssumeRole` on a role with an existing role session (role chaining). The
 * policy engine decides, from the same trust policy that `AssumeRoleWithWebIdentity` reads;
 * this module only describes the calling session in the engine's terms.
 */
export interface ChainingRequest {
  /** The role being assumed, named in the refusal. */
  readonly roleArn?: string;
  /** The `ExternalId` request parameter, when the caller sent one. */
  readonly externalId?: string;
}

export function evaluateChaining(
  trustPolicy: AwsTrustPolicy,
  caller: Session,
  request: ChainingRequest = {},
): AwsAssumeRoleDecision {
  return evaluateAwsAssumeRole(trustPolicy, { ...request, caller: sessionCaller(caller) });
}

export function sessionCaller(session: Session): AwsRoleSessionCaller {
  return {
    partition: session.role.partition,
    account: session.role.account,
    roleArn: session.role.arn,
    sessionArn: session.assumedRoleArn,
  };
}
