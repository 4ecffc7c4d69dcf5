import type { Session } from './sessions.ts';
import type { ActionOutcome } from './state.ts';

/**
 * `GetCallerIdentity` for a role session (STS API reference, "GetCallerIdentity", and IAM
 * User Guide, "Unique identifiers": an assumed role's `UserId` is `<role-id>:<session name>`).
 */
export function getCallerIdentity(caller: Session): ActionOutcome {
  return {
    ok: true,
    result: {
      UserId: caller.assumedRoleId,
      Account: caller.role.account,
      Arn: caller.assumedRoleArn,
    },
  };
}
