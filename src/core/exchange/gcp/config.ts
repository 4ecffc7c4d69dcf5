import { WifError } from '../../errors.ts';
import { shownUrl } from '../../redact.ts';
import type { FrontDoor, OptionReader } from '../options.ts';

/** Everything a GCP target can be told, at parity with google-github-actions/auth's meaningful inputs. */
export interface GcpTargetConfig {
  /** The front door the options came through: fixes name options in its syntax. */
  readonly door: FrontDoor;
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>` */
  readonly workloadIdentityProvider: string;
  readonly projectNumber: string;
  readonly poolId: string;
  /** What STS and the external_account file call the audience: `//iam.googleapis.com/<provider>`. */
  readonly stsAudience: string;
  /** The `aud` of the OIDC token; by default the provider's `https://iam.googleapis.com/…` form. */
  readonly audience: string;
  readonly serviceAccount: string | undefined;
  /** Full resource names, `projects/-/serviceAccounts/<email>`, in chain order. */
  readonly delegates: readonly string[];
  readonly tokenFormat: GcpTokenFormat;
  readonly accessTokenLifetimeSeconds: number;
  /** True when the user set the lifetime (it then goes into the credentials file too). */
  readonly lifetimeRequested: boolean;
  readonly accessTokenScopes: readonly string[];
  readonly idTokenAudience: string | undefined;
  readonly idTokenIncludeEmail: boolean;
  readonly projectId: string | undefined;
  readonly createCredentialsFile: boolean;
  readonly universe: string;
  /** The STS token endpoint, e.g. `https://sts.googleapis.com/v1/token`. */
  readonly stsUrl: string;
  /** The IAM Credentials base without `/v1`, e.g. `https://iamcredentials.googleapis.com`. */
  readonly iamCredentialsUrl: string;
  readonly exportEnv: boolean;
  readonly overwrite: boolean;
  readonly retryMaxAttempts: number;
  readonly timeoutSeconds: number;
  readonly refresh: boolean;
  /** A trust config file to explain a refusal with (explain-on-failure). */
  readonly explainOnFailure: string | undefined;
}

export const gcpTokenFormats = ['access_token', 'id_token', 'none'] as const;
export type GcpTokenFormat = (typeof gcpTokenFormats)[number];

export const gcpOptionNames = [
  'workload-identity-provider',
  'service-account',
  'delegates',
  'audience',
  'token-format',
  'access-token-lifetime',
  'access-token-scopes',
  'id-token-audience',
  'id-token-include-email',
  'project-id',
  'create-credentials-file',
  'sts-endpoint',
  'iamcredentials-endpoint',
  'universe',
  'export-env',
  'overwrite',
  'retry-max-attempts',
  'timeout-seconds',
  'refresh',
  'explain-on-failure',
] as const;

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Without the org policy constraint, IAM refuses lifetimes over an hour; with it, up to 12 hours. */
export const DEFAULT_LIFETIME_SECONDS = 3600;
export const EXTENDED_LIFETIME_SECONDS = 43_200;

// Pool and provider IDs: 4-32 lowercase letters, digits or hyphens (Google's resource rules).
const PROVIDER =
  /^projects\/(\d{1,19})\/locations\/global\/workloadIdentityPools\/([a-z0-9-]{4,32})\/providers\/([a-z0-9-]{4,32})$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const DELEGATE = /^projects\/-\/serviceAccounts\/([^/\s]+)$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const UNIVERSE = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
/** `<name>@<project>.iam.gserviceaccount.com` names its project, as google-github-actions/auth uses. */
const SA_PROJECT = /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;

export function parseWorkloadIdentityProvider(
  value: string,
  label: string,
): { projectNumber: string; poolId: string } {
  const m = PROVIDER.exec(value);
  if (m !== null) return { projectNumber: m[1] ?? '', poolId: m[2] ?? '' };
  const bare = value.replace(/^(https:)?\/\/iam\.googleapis\.com\//, '');
  const shape =
    /^projects\/([^/]+)\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/.exec(
      bare,
    );
  const project = shape?.[1];
  let hint =
    'Use the form projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<provider> (`gcloud iam workload-identity-pools providers describe … --format="value(name)"`).';
  if (bare !== value)
    hint = `Give the bare resource name without the "${value.slice(0, value.length - bare.length)}" prefix.`;
  else if (project !== undefined && !/^\d+$/.test(project))
    hint = `"${project}" looks like a project ID; use the project number (\`gcloud projects describe ${project} --format="value(projectNumber)"\`).`;
  else if (project !== undefined)
    hint = 'Pool and provider IDs are 4-32 lowercase letters, digits or hyphens.';
  throw new WifError(
    'usage',
    `${label} "${value}" is not a workload identity provider resource name.`,
    { fix: hint },
  );
}

/** Lifetimes as google-github-actions/auth takes them: `3600` or `3600s`. */
function lifetime(options: OptionReader): number | undefined {
  const raw = options.string('access-token-lifetime');
  if (raw === undefined) return undefined;
  const n = /^\d{1,6}s?$/.test(raw) ? Number(raw.replace(/s$/, '')) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > EXTENDED_LIFETIME_SECONDS) {
    throw new WifError(
      'usage',
      `${options.label('access-token-lifetime')} must be 1 to ${EXTENDED_LIFETIME_SECONDS} seconds (e.g. 3600 or 3600s), not "${raw}".`,
      {
        fix: 'Lifetimes over 3600 s also need the org policy constraints/iam.allowServiceAccountCredentialLifetimeExtension for the service account.',
      },
    );
  }
  return n;
}

/** `sts-endpoint`: a host, its `/v1` base (as GHA_ENDPOINT_OVERRIDE_sts) or the token URL itself. */
function stsUrlOf(value: URL): string {
  const path = value.pathname.replace(/\/+$/, '');
  if (path === '') return `${value.origin}/v1/token`;
  if (path.endsWith('/v1')) return `${value.origin}${path}/token`;
  return `${value.origin}${path}`;
}

/** `iamcredentials-endpoint`: a host or its `/v1` base; the library appends `/v1/projects/…`. */
function iamBaseOf(value: URL): string {
  return `${value.origin}${value.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}

function envUrl(env: Readonly<Record<string, string | undefined>>, name: string): URL | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!URL.canParse(value))
    throw new WifError('usage', `${name} "${shownUrl(value)}" is not a URL.`, {
      fix: `Unset ${name} or give an http(s) URL.`,
    });
  return new URL(value);
}

export function parseGcpTargetConfig(
  options: OptionReader,
  env: Readonly<Record<string, string | undefined>>,
): GcpTargetConfig {
  const workloadIdentityProvider = options.required(
    'workload-identity-provider',
    'the full resource name of the workload identity pool provider',
  );
  const { projectNumber, poolId } = parseWorkloadIdentityProvider(
    workloadIdentityProvider,
    options.label('workload-identity-provider'),
  );

  const serviceAccount = options.string('service-account');
  if (serviceAccount !== undefined && !EMAIL.test(serviceAccount)) {
    throw new WifError(
      'usage',
      `${options.label('service-account')} "${serviceAccount}" is not a service account email.`,
      { fix: 'Use the form NAME@PROJECT.iam.gserviceaccount.com.' },
    );
  }
  const delegates = options.list('delegates').map((d) => {
    const email = DELEGATE.exec(d)?.[1] ?? d;
    if (!EMAIL.test(email)) {
      throw new WifError(
        'usage',
        `${options.label('delegates')}: "${d}" is not a service account email or projects/-/serviceAccounts/EMAIL.`,
      );
    }
    return `projects/-/serviceAccounts/${email}`;
  });
  if (delegates.length > 0 && serviceAccount === undefined) {
    throw new WifError(
      'usage',
      `${options.label('delegates')} needs ${options.label('service-account')}: delegates are the chain that leads to it.`,
    );
  }

  const tokenFormat = options.oneOf('token-format', gcpTokenFormats, 'none');
  const requestedLifetime = lifetime(options);
  if (requestedLifetime !== undefined && serviceAccount === undefined) {
    throw new WifError(
      'usage',
      `${options.label('access-token-lifetime')} applies only to service account tokens; STS decides a federated token's lifetime.`,
      {
        fix: `Add ${options.label('service-account')}, or remove the lifetime.`,
      },
    );
  }
  const accessTokenScopes = options.list('access-token-scopes');
  const idTokenAudience = options.string('id-token-audience');
  if (tokenFormat === 'id_token') {
    if (serviceAccount === undefined) {
      throw new WifError(
        'usage',
        `token-format id_token needs ${options.label('service-account')}: ID tokens are minted for a service account.`,
      );
    }
    if (idTokenAudience === undefined) {
      throw new WifError(
        'usage',
        `token-format id_token needs ${options.label('id-token-audience')}: the URL of the service that will receive the token.`,
      );
    }
  }

  let projectId = options.string('project-id');
  if (projectId !== undefined && !PROJECT_ID.test(projectId)) {
    throw new WifError(
      'usage',
      `${options.label('project-id')} "${projectId}" is not a project ID.`,
      { fix: 'Use 6-30 lowercase letters, digits or hyphens, starting with a letter.' },
    );
  }
  projectId ??= SA_PROJECT.exec(serviceAccount ?? '')?.[1];

  const universe = options.string('universe') ?? 'googleapis.com';
  if (!UNIVERSE.test(universe))
    throw new WifError(
      'usage',
      `${options.label('universe')} "${universe}" is not a domain name (e.g. googleapis.com).`,
    );
  // The option wins; then the variables google-github-actions/auth honours; then the universe.
  const sts = options.url('sts-endpoint') ?? envUrl(env, 'GHA_ENDPOINT_OVERRIDE_sts');
  const iam =
    options.url('iamcredentials-endpoint') ?? envUrl(env, 'GHA_ENDPOINT_OVERRIDE_iamcredentials');

  const createCredentialsFile = options.boolean('create-credentials-file', true);
  const refresh = options.boolean('refresh', false);
  if (refresh && !createCredentialsFile) {
    throw new WifError(
      'usage',
      `${options.label('refresh')} needs ${options.label('create-credentials-file')}: the refreshed token reaches the SDKs through the credentials file.`,
    );
  }

  return {
    door: options.door,
    workloadIdentityProvider,
    projectNumber,
    poolId,
    stsAudience: `//iam.googleapis.com/${workloadIdentityProvider}`,
    audience:
      options.string('audience') ?? `https://iam.googleapis.com/${workloadIdentityProvider}`,
    serviceAccount,
    delegates,
    tokenFormat,
    accessTokenLifetimeSeconds: requestedLifetime ?? DEFAULT_LIFETIME_SECONDS,
    lifetimeRequested: requestedLifetime !== undefined,
    accessTokenScopes: accessTokenScopes.length === 0 ? [CLOUD_PLATFORM_SCOPE] : accessTokenScopes,
    idTokenAudience,
    idTokenIncludeEmail: options.boolean('id-token-include-email', false),
    projectId,
    createCredentialsFile,
    universe,
    stsUrl: sts === undefined ? `https://sts.${universe}/v1/token` : stsUrlOf(sts),
    iamCredentialsUrl: iam === undefined ? `https://iamcredentials.${universe}` : iamBaseOf(iam),
    exportEnv: options.boolean('export-env', true),
    overwrite: options.boolean('overwrite', false),
    retryMaxAttempts: options.integer('retry-max-attempts', 5, { min: 1, max: 20 }),
    timeoutSeconds: options.integer('timeout-seconds', 120, { min: 5, max: 3600, unit: 'seconds' }),
    refresh,
    explainOnFailure: options.string('explain-on-failure'),
  };
}
