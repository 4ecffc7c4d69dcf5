import { WifError, type ErrorCode } from '../../errors.ts';
import { redact } from '../../redact.ts';
import { optionName, optionSetting, type FrontDoor } from '../options.ts';

/**
 * Google errors sorted into permanent (a refusal another attempt cannot change) and transient
 * (429, 5xx, the network). STS answers OAuth errors (`{"error":"invalid_grant",…}`, RFC 6749
 * §5.2); IAM Credentials answers the Google API envelope (`{"error":{"status":…}}`). Messages
 * are scrubbed: a gaxios error carries its request, and an STS request holds the OIDC token.
 */
export type GoogleOperation = 'STS token exchange' | 'generateAccessToken' | 'generateIdToken';

export interface GoogleErrorContext {
  readonly operation: GoogleOperation;
  /** The provider (STS) or service account (IAM Credentials) the call was about. */
  readonly resource: string;
  /** For a trust refusal's hint: the token's audience and the pool. */
  readonly audience?: string;
  readonly poolResource?: string;
  /** The front door the options came through, whose syntax a fix names options in. */
  readonly door: FrontDoor;
}

const OAUTH_PERMANENT: Readonly<
  Record<string, { code: ErrorCode; fix: (c: GoogleErrorContext) => string }>
> = {
  invalid_grant: {
    code: 'denied',
    fix: (c) =>
      `The provider refused the token: check its issuer, its allowed audiences (this token's aud is ${c.audience ?? 'the provider URL'}) and the token's time claims; to see which check fails, run \`wif explain\` or add ${explainSetting(c)}.`,
  },
  unauthorized_client: {
    code: 'denied',
    fix: (c) =>
      `The provider's attribute condition or mapping rejected this token; to see which claim fails, run \`wif explain\` or add ${explainSetting(c)}.`,
  },
  access_denied: {
    code: 'denied',
    fix: () => 'The provider refused this token; check its attribute condition.',
  },
  invalid_target: {
    code: 'denied',
    fix: (c) =>
      `No enabled provider has this name: check ${optionName(c.door, 'workload-identity-provider')} (project number, pool and provider IDs) and that pool and provider are enabled.`,
  },
  invalid_request: {
    code: 'service',
    fix: (c) =>
      `Check ${optionName(c.door, 'workload-identity-provider')} and the token audience (${optionName(c.door, 'audience')}).`,
  },
  invalid_scope: {
    code: 'usage',
    fix: (c) => `Check the scopes in ${optionName(c.door, 'access-token-scopes')}.`,
  },
};

function explainSetting(c: GoogleErrorContext): string {
  return optionSetting(c.door, 'explain-on-failure', 'FILE');
}

const GOOGLE_TRANSIENT = new Set([
  'RESOURCE_EXHAUSTED',
  'UNAVAILABLE',
  'INTERNAL',
  'DEADLINE_EXCEEDED',
  'ABORTED',
  'UNKNOWN',
]);

interface GaxiosLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly status?: unknown;
  readonly response?: { readonly status?: unknown; readonly data?: unknown };
  readonly cause?: unknown;
}

interface Parsed {
  readonly status: number | undefined;
  readonly oauth: { error: string; description: string } | undefined;
  readonly google: { status: string; message: string } | undefined;
}

function parse(e: GaxiosLike): Parsed {
  const rawStatus = e.response?.status ?? e.status;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  let data: unknown = e.response?.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      data = undefined;
    }
  }
  const body = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const oauth =
    typeof body.error === 'string'
      ? {
          error: body.error,
          description: typeof body.error_description === 'string' ? body.error_description : '',
        }
      : undefined;
  const envelope =
    typeof body.error === 'object' && body.error !== null
      ? (body.error as Record<string, unknown>)
      : undefined;
  const google =
    envelope !== undefined && typeof envelope.status === 'string'
      ? {
          status: envelope.status,
          message: typeof envelope.message === 'string' ? envelope.message : '',
        }
      : undefined;
  return { status, oauth, google };
}

function networkCode(e: GaxiosLike): string | undefined {
  for (const candidate of [e, e.cause, (e.cause as GaxiosLike | undefined)?.cause]) {
    const code = (candidate as GaxiosLike | undefined)?.code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}

export function classifyGoogleError(error: unknown, context: GoogleErrorContext): WifError {
  if (error instanceof WifError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as GaxiosLike;
  const { status, oauth, google } = parse(e);
  const what = `GCP ${context.operation} for ${context.resource} failed`;

  if (status === undefined && oauth === undefined && google === undefined) {
    const code = networkCode(e) ?? (typeof e.name === 'string' ? e.name : 'error');
    const message = redact(typeof e.message === 'string' ? e.message : String(error));
    return new WifError('network', `${what}: ${code}: ${message}`, {
      fix: 'Check the endpoint, proxy and network path; transient failures are retried until the deadline.',
      transient: true,
      cause: error,
    });
  }

  if (oauth !== undefined) {
    const known = OAUTH_PERMANENT[oauth.error];
    const transient =
      known === undefined && status !== undefined && (status === 429 || status >= 500);
    return new WifError(
      known?.code ?? (transient ? 'service' : 'denied'),
      `${what}: ${oauth.error}: ${redact(oauth.description)}`,
      {
        ...(known === undefined
          ? transient
            ? { fix: 'A transient Google failure; retried until the deadline.' }
            : {}
          : { fix: known.fix(context) }),
        transient,
        cause: error,
      },
    );
  }

  const googleStatus = google?.status ?? `HTTP ${status ?? '?'}`;
  const message = redact(google?.message ?? '');
  const transient =
    GOOGLE_TRANSIENT.has(googleStatus) || status === 429 || (status !== undefined && status >= 500);
  return new WifError(
    googleStatus === 'PERMISSION_DENIED' || googleStatus === 'UNAUTHENTICATED'
      ? 'denied'
      : 'service',
    `${what}: ${googleStatus}${message === '' ? '' : `: ${message}`}`,
    {
      ...fixFor(googleStatus, message, transient, context),
      transient,
      cause: error,
    },
  );
}

function fixFor(
  status: string,
  message: string,
  transient: boolean,
  context: GoogleErrorContext,
): { fix?: string } {
  if (transient) return { fix: 'A transient Google failure; retried until the deadline.' };
  if (status === 'PERMISSION_DENIED' && message.includes('scope'))
    return {
      fix: 'The federated token lacks the cloud-platform scope the IAM Credentials API needs.',
    };
  if (status === 'PERMISSION_DENIED') {
    const pool =
      context.poolResource ?? 'projects/NUMBER/locations/global/workloadIdentityPools/POOL';
    return {
      fix: `Grant roles/iam.workloadIdentityUser on ${context.resource} to this workload's principal (e.g. principalSet://iam.googleapis.com/${pool}/attribute.repository/OWNER/REPO), and Token Creator along any delegates chain.`,
    };
  }
  if (status === 'INVALID_ARGUMENT' && /lifetime/i.test(message)) {
    return {
      fix: `Use ${optionSetting(context.door, 'access-token-lifetime', '3600')} or less, or allow longer lifetimes for this account with the org policy constraints/iam.allowServiceAccountCredentialLifetimeExtension.`,
    };
  }
  if (status === 'UNAUTHENTICATED')
    return {
      fix: `The federated token was not accepted by IAM Credentials; check that ${optionName(context.door, 'sts-endpoint')} and ${optionName(context.door, 'iamcredentials-endpoint')} point at the same universe.`,
    };
  return {};
}
