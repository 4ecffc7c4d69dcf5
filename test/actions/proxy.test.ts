import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';
import { findLeaks, runAction } from '../support/runner.ts';

/**
 * A self-hosted runner behind a corporate proxy: the machine sets `https_proxy`/`http_proxy`
 * and nothing reaches the network without them. Every service here has a name that resolves
 * only through the proxy (`*.wif-test.invalid`), so a step that succeeds went through it. The
 * Entra emulator's certificate and discovery document name 127.0.0.1, which is also reachable
 * directly: for Azure the proxy's log is the proof.
 */
let sandbox: Sandbox;
let proxy: ForwardProxy;

/** The same URL with its loopback host replaced by a name only the proxy knows. */
function behindProxy(url: string, host: string): string {
  const rewritten = new URL(url);
  rewritten.hostname = host;
  return rewritten.toString().replace(/\/$/, '');
}

function job(): { requestUrl: string; requestToken: string } {
  const { requestUrl, requestToken } = sandbox.issuer.addJob();
  return { requestUrl: behindProxy(requestUrl, 'token.wif-test.invalid'), requestToken };
}

function proxyEnv(): Record<string, string> {
  return { https_proxy: proxy.url, http_proxy: proxy.url };
}

const roleArn = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';

beforeAll(async () => {
  sandbox = await startSandbox();
});
beforeEach(async () => {
  proxy = await startForwardProxy();
});
afterEach(async () => {
  await proxy.close();
});
afterAll(async () => {
  await sandbox.close();
});

describe('every action behind the proxy the runner environment names', () => {
  it('AWS: the token request and STS go through https_proxy, without any input', async () => {
    const sts = behindProxy(sandbox.urls['aws-sts']!['sts']!, 'sts.wif-test.invalid');
    const run = await runAction('actions/aws', {
      inputs: { 'role-arn': roleArn, region: 'us-east-1', 'sts-endpoint': sts },
      env: proxyEnv(),
      oidc: job(),
    });
    try {
      expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
      expect(run.main.env['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
      const seen = proxy.seen.join('\n');
      expect(seen).toContain('token.wif-test.invalid');
      expect(seen).toContain(`CONNECT ${new URL(sts).host}`);
      // The exported variables are the intended hand-off; nothing else may show the key.
      expect(findLeaks({ ...run.main, env: {} }, run.main.env['AWS_SECRET_ACCESS_KEY']!)).toEqual(
        [],
      );
    } finally {
      run.dispose();
    }
  });

  it('AWS: the http-proxy input is used when the environment names none', async () => {
    const sts = behindProxy(sandbox.urls['aws-sts']!['sts']!, 'sts.wif-test.invalid');
    const run = await runAction('actions/aws', {
      inputs: {
        'role-arn': roleArn,
        region: 'us-east-1',
        'sts-endpoint': sts,
        'http-proxy': proxy.url,
      },
      oidc: sandbox.issuer.addJob(),
    });
    try {
      expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
      expect(proxy.seen).toEqual([`CONNECT ${new URL(sts).host}`]);
    } finally {
      run.dispose();
    }
  });

  it('AWS: a host in no_proxy is reached directly', async () => {
    const run = await runAction('actions/aws', {
      inputs: {
        'role-arn': roleArn,
        region: 'us-east-1',
        'sts-endpoint': sandbox.urls['aws-sts']!['sts']!,
      },
      env: { ...proxyEnv(), no_proxy: 'localhost,127.0.0.1' },
      oidc: sandbox.issuer.addJob(),
    });
    try {
      expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
      expect(proxy.seen).toEqual([]);
    } finally {
      run.dispose();
    }
  });

  it('AWS: a proxy variable that is not a URL is one line naming it, never its value', async () => {
    const run = await runAction('actions/aws', {
      inputs: { 'role-arn': roleArn, region: 'us-east-1' },
      env: { HTTPS_PROXY: 'user:s3cret-proxy-password@proxy' },
      oidc: sandbox.issuer.addJob(),
    });
    try {
      expect(run.main.exitCode).toBe(1);
      const errors = run.main.commands.filter((c) => c.command === 'error').map((c) => c.value);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^HTTPS_PROXY is not an http:\/\/ or https:\/\/ proxy URL\./);
      expect(run.main.stdout + run.main.stderr).not.toContain('s3cret-proxy-password');
    } finally {
      run.dispose();
    }
  });

  it('GCP: the token request, STS and IAM Credentials go through the proxy', async () => {
    const gcp = sandbox.urls['gcp']!;
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!,
        'service-account': sandbox.env['WIF_GCP_SERVICE_ACCOUNT']!,
        'sts-endpoint': behindProxy(gcp['sts']!, 'sts.wif-test.invalid'),
        'iamcredentials-endpoint': behindProxy(gcp['iamcredentials']!, 'iam.wif-test.invalid'),
        'token-format': 'access_token',
      },
      env: proxyEnv(),
      oidc: job(),
    });
    try {
      expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
      expect(run.main.outputs['access_token']).toBeTruthy();
      const seen = proxy.seen.join('\n');
      for (const host of ['token', 'sts', 'iam'])
        expect(seen).toContain(`${host}.wif-test.invalid`);
    } finally {
      run.dispose();
    }
  });

  it('Azure: the token request and the Entra token endpoint go through the proxy', async () => {
    const authority = sandbox.env['AZURE_AUTHORITY_HOST']!;
    const run = await runAction('actions/azure', {
      inputs: {
        'client-id': sandbox.env['AZURE_CLIENT_ID']!,
        'tenant-id': sandbox.env['AZURE_TENANT_ID']!,
        'authority-host': authority,
        'access-token-scope': 'https://management.azure.com/.default',
      },
      env: { ...proxyEnv(), NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']! },
      oidc: job(),
    });
    try {
      expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
      const seen = proxy.seen.join('\n');
      expect(seen).toContain('token.wif-test.invalid');
      expect(seen).toContain(`CONNECT ${new URL(authority).host}`);
    } finally {
      run.dispose();
    }
  });
  it('the umbrella: all three at once, each in a worker thread, through the proxy', async () => {
    const gcp = sandbox.urls['gcp']!;
    const sts = behindProxy(sandbox.urls['aws-sts']!['sts']!, 'sts.wif-test.invalid');
    const targets = [
      'aws:',
      '  type: aws',
      `  role-arn: ${roleArn}`,
      '  region: us-east-1',
      `  sts-endpoint: ${sts}`,
      'gcp:',
      '  type: gcp',
      `  workload-identity-provider: ${sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!}`,
      `  service-account: ${sandbox.env['WIF_GCP_SERVICE_ACCOUNT']!}`,
      `  sts-endpoint: ${behindProxy(gcp['sts']!, 'sts.wif-test.invalid')}`,
      `  iamcredentials-endpoint: ${behindProxy(gcp['iamcredentials']!, 'iam.wif-test.invalid')}`,
      'azure:',
      '  type: azure',
      `  client-id: ${sandbox.env['AZURE_CLIENT_ID']!}`,
      `  tenant-id: ${sandbox.env['AZURE_TENANT_ID']!}`,
      `  authority-host: ${sandbox.env['AZURE_AUTHORITY_HOST']!}`,
    ].join('\n');
    const run = await runAction('.', {
      inputs: { targets },
      env: {
        ...proxyEnv(),
        NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']!,
        WIF_EXCHANGE_THREADS: 'workers',
      },
      oidc: job(),
    });
    try {
      expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
      const seen = proxy.seen.join('\n');
      for (const host of ['token', 'sts', 'iam'])
        expect(seen).toContain(`${host}.wif-test.invalid`);
      expect(seen).toContain(`CONNECT ${new URL(sandbox.env['AZURE_AUTHORITY_HOST']!).host}`);
    } finally {
      run.dispose();
    }
  });
});
