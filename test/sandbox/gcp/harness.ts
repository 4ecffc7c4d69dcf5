import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../src/sandbox/emulator.ts';
import { FaultInjector } from '../../../src/sandbox/faults.ts';
import { gcpEmulator } from '../../../src/sandbox/gcp/index.ts';
import { startIssuer, type IssuerHandle } from '../../../src/sandbox/oidc/issuer.ts';

/** The sandbox issuer plus the GCP emulator, both on 127.0.0.1, with the emulator's log kept. */
export interface GcpSandbox {
  readonly issuer: IssuerHandle;
  readonly gcp: RunningEmulator;
  /** `http://127.0.0.1:<port>`: the host standing in for sts/iamcredentials/oauth2.googleapis.com. */
  readonly base: string;
  readonly faults: FaultInjector;
  readonly logs: string[];
  /** Directory for token and credential files; removed on close. */
  readonly dir: string;
  /** Log lines for requests to `path` that got an answer or an injected fault. */
  requestsTo(path: string): string[];
  close(): Promise<void>;
}

export const PROJECT_NUMBER = '123456789012';
export const POOL = `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/ci-pool`;
export const providerName = (id: string): string => `${POOL}/providers/${id}`;
/** The STS `audience` for a provider: its full resource name. */
export const stsAudience = (id: string): string => `//iam.googleapis.com/${providerName(id)}`;
/** What a GitHub job requests as its token audience (google-github-actions/auth does the same). */
export const tokenAudience = (id: string): string =>
  `https://iam.googleapis.com/${providerName(id)}`;

export const DEPLOYER = 'deployer@wif-sandbox.iam.gserviceaccount.com';
export const DEPLOYER_ID = '104729000000000000001';
export const AUDITOR = 'auditor@wif-sandbox.iam.gserviceaccount.com';
export const LONG_LIVED = 'batch@wif-sandbox.iam.gserviceaccount.com';
export const CHAINED = 'publisher@wif-sandbox.iam.gserviceaccount.com';

const repositoryMember = `principalSet://iam.googleapis.com/${POOL}/attribute.repository/octo-org/octo-repo`;

const githubMapping = {
  'google.subject': 'assertion.sub',
  'attribute.repository': 'assertion.repository',
  'attribute.ref': 'assertion.ref',
};

/**
 * A test project: the default `github` provider, a disabled one, one with an explicit
 * audience list, one whose subject mapping overflows 127 bytes; and four service accounts.
 */
export const testConfig = {
  projectNumber: PROJECT_NUMBER,
  projectId: 'wif-sandbox',
  pools: [
    {
      id: 'ci-pool',
      providers: [
        {
          id: 'github',
          attributeMapping: githubMapping,
          attributeCondition: "attribute.repository == 'octo-org/octo-repo'",
        },
        { id: 'retired', disabled: true, attributeMapping: githubMapping },
        {
          id: 'custom-aud',
          oidc: { allowedAudiences: ['https://wif.example/gcp'] },
          attributeMapping: githubMapping,
        },
        {
          id: 'long-subject',
          attributeMapping: {
            'google.subject':
              "assertion.sub + ':' + assertion.workflow_ref + ':' + assertion.job_workflow_ref",
          },
        },
      ],
    },
  ],
  serviceAccounts: [
    {
      email: DEPLOYER,
      uniqueId: DEPLOYER_ID,
      iamPolicy: {
        bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [repositoryMember] }],
      },
    },
    { email: AUDITOR, uniqueId: '104729000000000000002' },
    {
      email: LONG_LIVED,
      uniqueId: '104729000000000000003',
      maxTokenLifetimeSeconds: 43200,
      iamPolicy: {
        bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [repositoryMember] }],
      },
    },
    {
      email: CHAINED,
      uniqueId: '104729000000000000004',
      iamPolicy: {
        bindings: [
          { role: 'roles/iam.serviceAccountTokenCreator', members: [`serviceAccount:${DEPLOYER}`] },
        ],
      },
    },
  ],
};

export async function startGcpSandbox(config: unknown = testConfig): Promise<GcpSandbox> {
  const issuer = await startIssuer();
  const faults = new FaultInjector('gcp');
  const logs: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'wif-gcp-'));
  let gcp: RunningEmulator;
  try {
    gcp = await gcpEmulator.start({
      host: '127.0.0.1',
      port: 0,
      config,
      issuerUrl: issuer.url,
      stateDir: dir,
      log: (line) => logs.push(line),
      faults,
    });
  } catch (error) {
    await issuer.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const base = gcp.urls.sts!.replace(/\/v1\/token$/, '');
  return {
    issuer,
    gcp,
    base,
    faults,
    logs,
    dir,
    requestsTo: (path) =>
      logs.filter((line) => line.startsWith('gcp: ') && line.includes(` ${path} → `)),
    close: async () => {
      await gcp.close();
      await issuer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs like a raw client would and returns the status and parsed JSON body. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Exchanges a token at STS with a form body and returns the federated access token. */
export async function federatedToken(
  sandbox: GcpSandbox,
  scope = 'https://www.googleapis.com/auth/cloud-platform',
): Promise<string> {
  const subject = await sandbox.issuer.mint(
    { platform: 'github' },
    { audience: tokenAudience('github') },
  );
  const answer = await post(
    `${sandbox.base}/v1/token`,
    new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: stsAudience('github'),
      scope,
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token: subject,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    }).toString(),
    { 'content-type': 'application/x-www-form-urlencoded' },
  );
  if (answer.status !== 200)
    throw new Error(`STS refused the test token: ${JSON.stringify(answer.body)}`);
  return answer.body.access_token as string;
}
