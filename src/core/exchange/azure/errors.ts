import { WifError } from '../../errors.ts';
import { redact } from '../../redact.ts';
import { optionName, optionSetting, type FrontDoor } from '../options.ts';

/**
 * What the HTTP pipeline saw on the last attempt. @azure/identity reports most failures as a
 * bare MSAL code (`endpoints_resolution_error`, `network_error`), so the status, the AADSTS
 * code and the transport error are read off the wire instead; never a success body.
 */
export interface EntraObservation {
  status?: number;
  /** `error_codes[0]` of an Entra error body. */
  aadsts?: number;
  /** The first sentence of its `error_description`, scrubbed. */
  description?: string;
  /** A transport error code: ECONNREFUSED, ETIMEDOUT, UNABLE_TO_VERIFY_LEAF_SIGNATURE… */
  networkCode?: string;
}

/** Who asked, and what the token presented: the hint names the claims a credential must match. */
export interface EntraRequest {
  readonly clientId: string;
  readonly tenantId: string;
  readonly authorityHost: string;
  readonly scope: string;
  readonly claims?:
    { readonly iss?: unknown; readonly sub?: unknown; readonly aud?: unknown } | undefined;
  /** The front door the options came through, whose syntax a fix names options in. */
  readonly door: FrontDoor;
}

function explain(r: EntraRequest): string {
  return `To see which field differs, run \`wif explain\` with the token and the app's federated credentials, or add ${optionSetting(r.door, 'explain-on-failure', 'FILE')}.`;
}

/** Refusals another attempt cannot change, with what to do about each. Codes: Entra's error code reference. */
const PERMANENT: Readonly<
  Record<number, { code: 'denied' | 'service'; fix: (r: EntraRequest) => string }>
> = {
  70021: {
    code: 'denied',
    fix: (r) =>
      `Give app ${r.clientId} a federated credential with exactly this token's ${presented(r)}; matching is exact and case-sensitive. ${explain(r)}`,
  },
  700211: {
    code: 'denied',
    fix: (r) =>
      `No federated credential of app ${r.clientId} trusts the issuer ${claim(r, 'iss')}; set the credential's issuer to it exactly. ${explain(r)}`,
  },
  700212: {
    code: 'denied',
    fix: (r) =>
      `No federated credential of app ${r.clientId} lists the audience ${claim(r, 'aud')}; set audience to the credential's (default api://AzureADTokenExchange).`,
  },
  700213: {
    code: 'denied',
    fix: (r) =>
      `No federated credential of app ${r.clientId} has the subject ${claim(r, 'sub')} (matching is exact and case-sensitive). ${explain(r)}`,
  },
  7002138: {
    code: 'denied',
    fix: (r) =>
      `A federated credential matches the subject ${claim(r, 'sub')} only when letter case is ignored; Entra compares case-sensitively, so fix the credential's subject.`,
  },
  700024: {
    code: 'denied',
    fix: () =>
      'The OIDC token was expired (or not yet valid) when Entra ID saw it; check the runner clock, and fetch the token right before the exchange.',
  },
  700016: {
    code: 'service',
    fix: (r) =>
      `Check client-id and tenant-id: app ${r.clientId} must be registered (or have a service principal) in tenant ${r.tenantId}.`,
  },
  90002: {
    code: 'service',
    fix: (r) =>
      `Check tenant-id, and environment: tenant ${r.tenantId} must exist in the cloud at ${r.authorityHost}.`,
  },
  70011: {
    code: 'service',
    fix: (r) =>
      `The scope ${r.scope} is not valid for app-only tokens; use a resource's App ID URI followed by /.default.`,
  },
  500011: {
    code: 'service',
    fix: (r) =>
      `The resource of ${r.scope} has no service principal in tenant ${r.tenantId}; check access-token-scope.`,
  },
  7000215: {
    code: 'service',
    fix: () => 'Entra ID took the request for a client secret one; report this as a wif bug.',
  },
};

/** Entra's "try again" codes (AADSTS90006 service unavailable, 50196 loop detected). */
const TRANSIENT_AADSTS = new Set([90006, 50196, 90033]);
const TLS = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS|ERR_SSL)/;

function claim(r: EntraRequest, name: 'iss' | 'sub' | 'aud'): string {
  const value = r.claims?.[name];
  const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : '?';
  return `'${text}'`;
}

function presented(r: EntraRequest): string {
  return `issuer ${claim(r, 'iss')}, subject ${claim(r, 'sub')}, audience ${claim(r, 'aud')}`;
}

export function classifyEntraError(
  error: unknown,
  seen: EntraObservation,
  r: EntraRequest,
): WifError {
  if (error instanceof WifError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = redact(raw.replace(/\s+/g, ' ')).slice(0, 600);
  const aadsts = seen.aadsts ?? numberOrUndefined(/AADSTS(\d+)/.exec(raw)?.[1]);
  const where = `app ${r.clientId} in tenant ${r.tenantId}`;

  if (seen.networkCode !== undefined) {
    if (TLS.test(seen.networkCode)) {
      return new WifError(
        'network',
        `Could not verify the TLS certificate of ${r.authorityHost} (${seen.networkCode}).`,
        {
          fix: `Check ${optionName(r.door, 'authority-host')}; a private authority needs its CA trusted (NODE_EXTRA_CA_CERTS).`,
          cause: error,
        },
      );
    }
    return new WifError(
      'network',
      `Could not reach Entra ID at ${r.authorityHost}: ${seen.networkCode}.`,
      {
        fix: `Check the network path, proxy (HTTPS_PROXY) and ${optionName(r.door, 'authority-host')}; transient failures are retried until ${optionName(r.door, 'timeout-seconds')}.`,
        transient: true,
        cause: error,
      },
    );
  }

  const status = seen.status;
  if (
    status === 429 ||
    (status !== undefined && status >= 500) ||
    (aadsts !== undefined && TRANSIENT_AADSTS.has(aadsts))
  ) {
    return new WifError(
      'service',
      `Entra ID is throttling or unavailable for ${where} (HTTP ${status ?? '?'}${aadsts === undefined ? '' : `, AADSTS${aadsts}`}).`,
      {
        fix: `A transient failure; retried with backoff until ${optionName(r.door, 'timeout-seconds')}.`,
        transient: true,
        cause: error,
      },
    );
  }

  if (aadsts !== undefined) {
    const known = PERMANENT[aadsts];
    const said = seen.description ?? /AADSTS\d+: [^.]*\./.exec(message)?.[0] ?? `AADSTS${aadsts}`;
    return new WifError(
      known?.code ?? 'service',
      `Entra ID refused the token for ${where}: ${said}`,
      {
        fix: known?.fix(r) ?? `See https://login.microsoftonline.com/error?code=${aadsts}.`,
        cause: error,
      },
    );
  }

  // No HTTP answer and no AADSTS code: MSAL could not finish (discovery, a dropped connection).
  return new WifError('network', `Could not get a token from Entra ID for ${where}: ${message}`, {
    fix: `Check ${optionName(r.door, 'authority-host')}, ${optionName(r.door, 'environment')} and the network path; retried until ${optionName(r.door, 'timeout-seconds')}.`,
    transient: true,
    cause: error,
  });
}

function numberOrUndefined(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/** Reads an Entra error body into the observation; ignores anything that is not one. */
export function observeErrorBody(seen: EntraObservation, body: string | undefined): void {
  if (body === undefined || body === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  const { error_codes: codes, error_description: description } = parsed as {
    error_codes?: unknown;
    error_description?: unknown;
  };
  if (Array.isArray(codes) && typeof codes[0] === 'number') seen.aadsts = codes[0];
  if (typeof description === 'string') {
    // Entra appends Trace ID, Correlation ID and Timestamp; the first line is the message.
    const first = description.split(/\r?\n| Trace ID: /)[0] ?? description;
    // The first sentence says what failed; the rest repeats the fix or links the docs.
    const sentence = /^.*?[.!](?=\s|$)/.exec(first.trim())?.[0] ?? first;
    seen.description = redact(sentence.trim()).slice(0, 400);
  }
}
