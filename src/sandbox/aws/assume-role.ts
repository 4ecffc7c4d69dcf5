import { parseAssumeRoleRequest, parseRoleArn, type Params } from './params.ts';
import { evaluateChaining } from './role-chaining.ts';
import type { Session } from './sessions.ts';
import {
  findRole,
  checkSessionLimits,
  sessionResult,
  sessionTokenFields,
  type ActionOutcome,
  type StsState,
} from './state.ts';
import { stsError } from './sts-error.ts';

/**
 * `AssumeRole` called with a role session this emulator issued: role chaining (STS API
 * reference, "AssumeRole"; IAM User Guide, "Roles terms and concepts — Role chaining"). The
 * caller is already authenticated by SigV4. Role chaining "limits your AWS CLI or AWS API role
 * session to a maximum of one hour", whatever the target role's MaxSessionDuration says.
 */
const chainedMaxSeconds = 3600;
const defaultDurationSeconds = 3600;

export function assumeRole(params: Params, caller: Session, state: StsState): ActionOutcome {
  const parsed = parseAssumeRoleRequest(params);
  if (!parsed.ok) return parsed;
  const request = parsed.value;

  const arn = parseRoleArn(request.roleArn);
  if (arn === undefined)
    return { ok: false, error: stsError('ValidationError', 'Request ARN is invalid') };
  const notAuthorized = stsError(
    'AccessDenied',
    `User: ${caller.assumedRoleArn} is not authorized to perform: sts:AssumeRole on resource: ${arn.arn}`,
  );
  const role = findRole(state, arn.arn);
  if (role === undefined) return { ok: false, error: notAuthorized };
  const decision = evaluateChaining(role.trustPolicy, caller, {
    roleArn: arn.arn,
    ...(request.externalId === undefined ? {} : { externalId: request.externalId }),
  });
  if (!decision.accepted) {
    state.log(
      `aws-sts: AssumeRole ${arn.arn} by ${caller.assumedRoleArn} denied: ${decision.hint ?? 'no statement allows this principal'}`,
    );
    return { ok: false, error: notAuthorized };
  }

  const durationSeconds = request.durationSeconds ?? defaultDurationSeconds;
  if (durationSeconds > chainedMaxSeconds)
    return {
      ok: false,
      error: stsError(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      ),
    };
  const limits = checkSessionLimits(role, durationSeconds, request);
  if (!limits.ok) return limits;
  const packed = limits.packed;

  // A source identity, once set, is carried through every chained session and cannot change.
  if (
    caller.sourceIdentity !== undefined &&
    request.sourceIdentity !== undefined &&
    request.sourceIdentity !== caller.sourceIdentity
  )
    return {
      ok: false,
      error: stsError(
        'AccessDenied',
        'SourceIdentity cannot be changed once set on a role session.',
      ),
    };
  const sourceIdentity = caller.sourceIdentity ?? request.sourceIdentity;
  const session = state.sessions.issue({
    role: arn,
    sessionName: request.roleSessionName,
    durationSeconds,
    chained: true,
    sourceIdentity,
    minimumTokenBytes: request.minimumSessionTokenSize,
  });
  state.log(
    `aws-sts: AssumeRole ${arn.arn} by ${caller.assumedRoleArn}, session ${session.sessionName}${sourceIdentity === undefined ? '' : `, source identity ${sourceIdentity}`} -> ${session.accessKeyId} until ${session.expiration.toISOString()}`,
  );
  return {
    ok: true,
    result: {
      ...sessionResult(session),
      PackedPolicySize: packed,
      SourceIdentity: sourceIdentity,
      ...sessionTokenFields(session),
    },
  };
}
