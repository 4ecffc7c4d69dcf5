import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { dirname } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { azureEmulator } from '../../../src/sandbox/azure/index.ts';
import type { FaultInjector } from '../../../src/sandbox/faults.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import type { IssuerHandle } from '../../../src/sandbox/oidc/issuer.ts';
import type { MintOptions, TokenProfile } from '../../../src/sandbox/oidc/mint.ts';

/** The sandbox issuer and the Entra ID emulator, started by the `wif sandbox` host. */
export interface EntraHarness {
  readonly sandbox: Sandbox;
  readonly issuer: IssuerHandle;
  /** The variables the emulator exports (AZURE_AUTHORITY_HOST, WIF_AZURE_CA_FILE, …). */
  readonly env: Readonly<Record<string, string>>;
  readonly faults: FaultInjector;
  /** PEM of the emulator's CA, read from the file it exported. */
  readonly ca: string;
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly stateDir: string;
  readonly logs: string[];
  /** A token from the sandbox issuer with the Entra exchange audience unless told otherwise. */
  mint(profile?: TokenProfile, options?: MintOptions): Promise<string>;
  get(path: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  post(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  json(): Record<string, unknown>;
}

export const EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
export const ARM_SCOPE = 'https://management.azure.com/.default';
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * `config` is the emulator's section; absent means the default. Credentials without `issuer`
 * trust the sandbox issuer, whose port is only known once it runs.
 */
export async function startEntraHarness(config?: unknown): Promise<EntraHarness> {
  const logs: string[] = [];
  const sandbox = await startSandbox({
    emulators: [azureEmulator],
    ...(config === undefined ? {} : { config: { azure: config } }),
    log: (line) => logs.push(line),
  });
  const env = sandbox.env;
  const ca = await readFile(env.WIF_AZURE_CA_FILE!, 'utf8');
  const authorityHost = env.AZURE_AUTHORITY_HOST!;
  const issuer = sandbox.issuer;
  return {
    sandbox,
    issuer,
    env,
    faults: sandbox.faults.get('azure')!,
    ca,
    authorityHost,
    tenantId: env.AZURE_TENANT_ID!,
    clientId: env.AZURE_CLIENT_ID!,
    stateDir: dirname(env.WIF_AZURE_CA_FILE!),
    logs,
    mint: (profile, options) => issuer.mint(profile, { audience: EXCHANGE_AUDIENCE, ...options }),
    get: (path, headers) => send(new URL(path, authorityHost), 'GET', ca, undefined, headers),
    post: (path, form, headers) =>
      send(new URL(path, authorityHost), 'POST', ca, new URLSearchParams(form).toString(), headers),
    close: () => sandbox.close(),
  };
}

/** The form MSAL sends for client credentials with a federated assertion. */
export function assertionForm(clientId: string, assertion: string): Record<string, string> {
  return {
    client_id: clientId,
    scope: ARM_SCOPE,
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion,
  };
}

function send(
  url: URL,
  method: string,
  ca: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        // The certificate is checked against the URL's host even when a test sends another Host.
        checkServerIdentity: (_host, cert) => checkServerIdentity(url.hostname, cert),
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
