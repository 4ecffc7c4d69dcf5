import { decodeJwt } from 'jose';
import { audiences } from '../../core/token/claims.ts';
import { evaluateAwsTrust } from '../../core/policy/aws.ts';
import { parseWebIdentityRequest, parseRoleArn, type Params } from './params.ts';
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
 * `AssumeRoleWithWebIdentity` (STS API reference, "AssumeRoleWithWebIdentity"; IAM User
 * Guide, "Create an OpenID Connect (OIDC) identity provider in IAM"). Unsigned. Checks in the
 * order STS documents its refusals: parameters, role, the account's OIDC provider for the
 * token's issuer, the token's signature (keys from the issuer's JWKS), its lifetime, its
 * audience against the provider's client-ID list, the role's trust policy, then the duration.
 */

/** STS tolerates clock skew on the token's `exp`, documented as up to 5 minutes (PROTOCOLS.md Part 3, "AWS"). */
const tokenClockSkewSeconds = 300;
const defaultDurationSeconds = 3600;

export async function assumeRoleWithWebIdentity(
  params: Params,
  state: StsState,
): Promise<ActionOutcome> {
  const parsed = parseWebIdentityRequest(params);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const accessDenied = { ok: false, error: stsError('AccessDenied') } as const;

  const arn = parseRoleArn(request.roleArn);
  if (arn === undefined)
    return { ok: false, error: stsError('ValidationError', 'Request ARN is invalid') };
  // A role that does not exist is refused exactly like one whose trust policy says no.
  const role = findRole(state, arn.arn);
  if (role === undefined) return accessDenied;

  let iss: unknown;
  try {
    iss = decodeJwt(request.webIdentityToken).iss;
  } catch {
    return {
      ok: false,
      error: stsError(
        'InvalidIdentityToken',
        'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
      ),
    };
  }
  const provider = state.config.oidcProviders.find(
    (p) => p.account === arn.account && p.url === iss,
  );
  if (typeof iss !== 'string' || provider === undefined) {
    const named = typeof iss === 'string' ? iss : '(no iss claim)';
    return {
      ok: false,
      error: stsError(
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${named}`,
      ),
    };
  }

  const verified = await state.verifyToken(request.webIdentityToken, {
    trustedIssuers: [provider.url],
    audience: provider.clientIds,
    clockToleranceSeconds: tokenClockSkewSeconds,
    now: state.now,
  });
  if (!verified.ok) {
    switch (verified.reason) {
      case 'issuer-unreachable':
        return { ok: false, error: stsError('IDPCommunicationError') };
      case 'expired': {
        const exp = verified.claims?.exp;
        const now = Math.floor(state.now().getTime() / 1000);
        return {
          ok: false,
          error: stsError(
            'ExpiredTokenException',
            `Token expired: current date/time ${now} must be before the expiration date/time${typeof exp === 'number' ? exp : ''}`,
          ),
        };
      }
      case 'audience':
        return { ok: false, error: stsError('InvalidIdentityToken', 'Incorrect token audience') };
      case 'unknown-issuer':
        // The sandbox only fetches keys from 127.0.0.1; a provider elsewhere is unreachable by design.
        return {
          ok: false,
          error: stsError(
            'InvalidIdentityToken',
            "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
          ),
        };
      case 'not-yet-valid':
      case 'bad-signature':
      case 'malformed':
        return { ok: false, error: stsError('InvalidIdentityToken', verified.message) };
    }
  }
  const claims = verified.claims;

  const decision = evaluateAwsTrust(role.trustPolicy, {
    claims,
    providerArns: (issuer) =>
      state.config.oidcProviders
        .filter((p) => p.account === arn.account && p.url === issuer)
        .map((p) => p.arn),
    clientIds: provider.clientIds,
    sessionTags: claims['https://aws.amazon.com/tags'] !== undefined,
  });
  if (!decision.accepted) {
    state.log(
      `aws-sts: AssumeRoleWithWebIdentity ${arn.arn} denied: ${decision.hint ?? 'no statement allows this token'}`,
    );
    const code = decision.error?.code ?? 'AccessDenied';
    return { ok: false, error: stsError(code, decision.error?.message) };
  }

  const durationSeconds = request.durationSeconds ?? defaultDurationSeconds;
  const limits = checkSessionLimits(role, durationSeconds, request);
  if (!limits.ok) return limits;
  const packed = limits.packed;

  const sourceIdentity = stringClaim(claims['https://aws.amazon.com/source_identity']);
  const session = state.sessions.issue({
    role: arn,
    sessionName: request.roleSessionName,
    durationSeconds,
    chained: false,
    sourceIdentity,
    minimumTokenBytes: request.minimumSessionTokenSize,
  });
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  state.log(
    `aws-sts: AssumeRoleWithWebIdentity ${arn.arn} as ${sub}, session ${session.sessionName}${sourceIdentity === undefined ? '' : `, source identity ${sourceIdentity}`} -> ${session.accessKeyId} until ${session.expiration.toISOString()}`,
  );
  const { Credentials: credentials, AssumedRoleUser: assumedRoleUser } = sessionResult(session);
  return {
    ok: true,
    result: {
      Credentials: credentials,
      SubjectFromWebIdentityToken: sub,
      AssumedRoleUser: assumedRoleUser,
      // "For OpenID Connect ID tokens, this contains the value of the iss field."
      Provider: provider.url,
      Audience: audiences(claims).find((aud) => provider.clientIds.includes(aud)),
      SourceIdentity: sourceIdentity,
      PackedPolicySize: packed,
      ...sessionTokenFields(session),
    },
  };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
