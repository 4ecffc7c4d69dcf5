import { describe, expect, it } from 'vitest';
import { rule as lnk01 } from '../../../../src/core/scan/rules/lnk-01-unauthenticated-clients.ts';
import { rule as lnk02 } from '../../../../src/core/scan/rules/lnk-02-mesh-identity-wildcard.ts';
import { rule as lnk03 } from '../../../../src/core/scan/rules/lnk-03-federated-identity-wildcard.ts';
import { rule as lnk04 } from '../../../../src/core/scan/rules/lnk-04-federated-authorization-label.ts';
import { rule as lnk05 } from '../../../../src/core/scan/rules/lnk-05-cross-namespace-client.ts';
import { rule as lnk06 } from '../../../../src/core/scan/rules/lnk-06-missing-default-deny.ts';
import { rule as lnk07 } from '../../../../src/core/scan/rules/lnk-07-route-matches-secret-header.ts';
import { rule as lnk08 } from '../../../../src/core/scan/rules/lnk-08-trust-anchor-key.ts';
import { rule as lnk09 } from '../../../../src/core/scan/rules/lnk-09-network-only-authentication.ts';
import { rule as lnk10 } from '../../../../src/core/scan/rules/lnk-10-unauthenticated-default-policy.ts';
import { at, runRule } from './support/run-rule.ts';

const serverAuthorization = (client: string, metadata = ''): string => `
  apiVersion: policy.linkerd.io/v1beta1
  kind: ServerAuthorization
  metadata:
    name: allow-clients
    namespace: payments${metadata}
  spec:
    server:
      name: api-http
    client:
${client}
`;

const identities = (...values: string[]): string =>
  `      meshTLS:\n        identities:\n${values.map((value) => `          - "${value}"`).join('\n')}`;

const meshTls = (...values: string[]): string => `
  apiVersion: policy.linkerd.io/v1alpha1
  kind: MeshTLSAuthentication
  metadata: { name: clients, namespace: payments }
  spec:
    identities:
${values.map((value) => `      - "${value}"`).join('\n')}
`;

describe('LNK-01 ServerAuthorization admitting unauthenticated clients', () => {
  it('flags unauthenticated: true at the key', async () => {
    const findings = await runRule(lnk01, {
      'authz.yaml': serverAuthorization('      unauthenticated: true'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'LNK-01', severity: 'high' });
    expect(at(findings[0])).toBe('10:5');
  });

  it('accepts clients named by ServiceAccount', async () => {
    const client =
      '      meshTLS:\n        serviceAccounts:\n          - name: web\n            namespace: payments';
    expect(await runRule(lnk01, { 'authz.yaml': serverAuthorization(client) })).toEqual([]);
  });
});

describe('LNK-02 mesh identity wildcard spanning namespaces', () => {
  it('flags * and a wildcard in the namespace position, each at its item', async () => {
    const findings = await runRule(lnk02, {
      'mtls.yaml': meshTls(
        '*',
        '*.serviceaccount.identity.linkerd.cluster.local',
        'prometheus.monitoring.serviceaccount.identity.linkerd.cluster.local',
      ),
    });
    expect(findings.map((finding) => [finding.rule, finding.severity, at(finding)])).toEqual([
      ['LNK-02', 'high', '6:7'],
      ['LNK-02', 'high', '7:7'],
    ]);
  });

  it('accepts the RFC form that stays in one namespace', async () => {
    const findings = await runRule(lnk02, {
      'mtls.yaml': meshTls(
        '*.payments.serviceaccount.identity.linkerd.cluster.local',
        'prometheus.monitoring.serviceaccount.identity.linkerd.cluster.local',
      ),
    });
    expect(findings).toEqual([]);
  });
});

describe('LNK-03 wildcard over a federated identity', () => {
  it('flags a wildcard over a remote cluster and over a partner SPIFFE trust domain', async () => {
    const findings = await runRule(
      lnk03,
      {
        'authz.yaml': serverAuthorization(
          identities(
            '*.web.serviceaccount.identity.linkerd.west.example.com',
            'spiffe://partner.otherorg.com/ns/integration/sa/*',
          ),
        ),
      },
      { trustDomains: ['prod.example.com'] },
    );
    expect(findings.map((finding) => [finding.rule, finding.severity, at(finding)])).toEqual([
      ['LNK-03', 'high', '12:11'],
      ['LNK-03', 'high', '13:11'],
    ]);
  });

  it('accepts exact partner identities and local wildcards', async () => {
    const findings = await runRule(
      lnk03,
      {
        'authz.yaml': serverAuthorization(
          identities(
            'spiffe://partner.otherorg.com/ns/integration/sa/api-client',
            '*.payments.serviceaccount.identity.linkerd.cluster.local',
          ),
        ),
      },
      { trustDomains: ['prod.example.com'] },
    );
    expect(findings).toEqual([]);
  });
});

describe('LNK-04 federated authorization without its federation label', () => {
  const partner = identities('spiffe://partner.otherorg.com/ns/integration/sa/api-client');

  it('flags a partner ServerAuthorization without the federation label, at its name', async () => {
    const findings = await runRule(
      lnk04,
      { 'authz.yaml': serverAuthorization(partner) },
      { trustDomains: ['prod.example.com'] },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'LNK-04', severity: 'low' });
    expect(at(findings[0])).toBe('4:3');
  });

  it('flags a label naming another trust domain', async () => {
    const findings = await runRule(
      lnk04,
      {
        'authz.yaml': serverAuthorization(
          partner,
          '\n    labels:\n      federation: partner.example.org',
        ),
      },
      { trustDomains: ['prod.example.com'] },
    );
    expect(findings.map(at)).toEqual(['7:5']);
  });

  it('accepts federation: <peer trust domain>', async () => {
    const findings = await runRule(
      lnk04,
      {
        'authz.yaml': serverAuthorization(
          partner,
          '\n    labels:\n      federation: partner.otherorg.com',
        ),
      },
      { trustDomains: ['prod.example.com'] },
    );
    expect(findings).toEqual([]);
  });
});

describe('LNK-05 client from another namespace', () => {
  it('reports a cross-namespace ServiceAccount as info, at its namespace', async () => {
    const client =
      '      meshTLS:\n        serviceAccounts:\n          - name: prometheus\n            namespace: monitoring';
    const findings = await runRule(lnk05, { 'authz.yaml': serverAuthorization(client) });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'LNK-05', severity: 'info' });
    expect(at(findings[0])).toBe('13:11');
  });

  it('accepts a client of the same namespace', async () => {
    const client =
      '      meshTLS:\n        serviceAccounts:\n          - name: web\n            namespace: payments';
    expect(await runRule(lnk05, { 'authz.yaml': serverAuthorization(client) })).toEqual([]);
  });
});

describe('LNK-06 namespace with Servers but no default deny', () => {
  const server = (name: string): string => `
    apiVersion: policy.linkerd.io/v1beta3
    kind: Server
    metadata:
      name: ${name}
      namespace: payments
    spec:
      podSelector: { matchLabels: { app: api } }
      port: ${name === 'api-http' ? 8080 : 9090}
      proxyProtocol: HTTP/2
  `;

  it('reports once per namespace, on its first Server', async () => {
    const findings = await runRule(lnk06, {
      'servers/http.yaml': server('api-http'),
      'servers/metrics.yaml': server('api-metrics'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'LNK-06',
      severity: 'medium',
      file: 'servers/http.yaml',
    });
    expect(at(findings[0])).toBe('5:3');
  });

  it('accepts the Namespace default-inbound-policy annotation in another file', async () => {
    const findings = await runRule(lnk06, {
      'servers.yaml': server('api-http'),
      'ns.yaml': `
        apiVersion: v1
        kind: Namespace
        metadata:
          name: payments
          annotations:
            linkerd.io/inject: enabled
            config.linkerd.io/default-inbound-policy: deny
      `,
    });
    expect(findings).toEqual([]);
  });

  it('accepts the RFC deny-unauthenticated ServerAuthorization', async () => {
    const findings = await runRule(lnk06, {
      'servers.yaml': server('api-http'),
      'deny.yaml': `
        apiVersion: policy.linkerd.io/v1beta1
        kind: ServerAuthorization
        metadata: { name: deny-unauthenticated, namespace: payments }
        spec:
          server:
            selector:
              matchLabels: {}
          client:
            unauthenticated: false
            meshTLS:
              identities: []
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('LNK-07 route matching a literal secret header', () => {
  const route = (header: string): string => `
    apiVersion: policy.linkerd.io/v1beta3
    kind: HTTPRoute
    metadata: { name: admin-route, namespace: payments }
    spec:
      parentRefs:
        - { name: api-http, kind: Server, group: policy.linkerd.io }
      rules:
        - matches:
            - path: { value: /admin, type: PathPrefix }
              headers:
                - name: ${header}
                  value: secret-value
  `;

  it('flags the RFC x-admin-token example at the value', async () => {
    const findings = await runRule(lnk07, { 'route.yaml': route('x-admin-token') });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'LNK-07', severity: 'high' });
    expect(at(findings[0])).toBe('12:15');
  });

  it('accepts a header that carries no credential', async () => {
    expect(await runRule(lnk07, { 'route.yaml': route('x-canary') })).toEqual([]);
  });
});

describe('LNK-08 Linkerd identity private key committed', () => {
  const anchor = (extra: string): string => `
    apiVersion: v1
    kind: Secret
    metadata: { name: linkerd-trust-anchor, namespace: linkerd }
    type: kubernetes.io/tls
    data:
      tls.crt: ${Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64')}${extra}
  `;

  it('flags tls.key at its key', async () => {
    const findings = await runRule(lnk08, {
      'anchor.yaml': anchor(
        `\n      tls.key: ${Buffer.from('-----BEGIN EC PRIVATE KEY-----').toString('base64')}`,
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'LNK-08', severity: 'critical' });
    expect(at(findings[0])).toBe('7:3');
  });

  it('accepts the certificate alone', async () => {
    expect(await runRule(lnk08, { 'anchor.yaml': anchor('') })).toEqual([]);
  });
});

describe('LNK-09 AuthorizationPolicy without mesh identity', () => {
  const policy = (refs: string): string => `
    apiVersion: policy.linkerd.io/v1alpha1
    kind: AuthorizationPolicy
    metadata: { name: admin-access, namespace: payments }
    spec:
      targetRef: { group: policy.linkerd.io, kind: HTTPRoute, name: admin-route }
      requiredAuthenticationRefs: ${refs}
  `;

  it('flags a policy that only requires a NetworkAuthentication', async () => {
    const findings = await runRule(lnk09, {
      'policy.yaml': policy(
        '[{ group: policy.linkerd.io, kind: NetworkAuthentication, name: office-network }]',
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'LNK-09', severity: 'medium' });
    expect(at(findings[0])).toBe('6:3');
  });

  it('flags an empty list, which authorizes every client', async () => {
    const findings = await runRule(lnk09, { 'policy.yaml': policy('[]') });
    expect(findings[0]?.message).toContain('every client');
  });

  it('accepts a MeshTLSAuthentication', async () => {
    const findings = await runRule(lnk09, {
      'policy.yaml': policy(
        '[{ group: policy.linkerd.io, kind: MeshTLSAuthentication, name: admins }]',
      ),
    });
    expect(findings).toEqual([]);
  });
});

describe('LNK-10 inbound policy admitting unauthenticated clients', () => {
  it('flags all-unauthenticated on a Namespace and a Server accessPolicy', async () => {
    const findings = await runRule(lnk10, {
      'ns.yaml': `
        apiVersion: v1
        kind: Namespace
        metadata:
          name: payments
          annotations:
            config.linkerd.io/default-inbound-policy: all-unauthenticated
      `,
      'server.yaml': `
        apiVersion: policy.linkerd.io/v1beta3
        kind: Server
        metadata: { name: api-http, namespace: payments }
        spec:
          podSelector: { matchLabels: { app: api } }
          port: 8080
          accessPolicy: cluster-unauthenticated
      `,
    });
    expect(
      findings.map((finding) => [finding.rule, finding.severity, finding.file, at(finding)]),
    ).toEqual([
      ['LNK-10', 'high', 'ns.yaml', '6:5'],
      ['LNK-10', 'high', 'server.yaml', '7:3'],
    ]);
  });

  it('accepts deny and all-authenticated', async () => {
    const findings = await runRule(lnk10, {
      'ns.yaml': `
        apiVersion: v1
        kind: Namespace
        metadata:
          name: payments
          annotations:
            config.linkerd.io/default-inbound-policy: deny
      `,
      'server.yaml': `
        apiVersion: policy.linkerd.io/v1beta3
        kind: Server
        metadata: { name: api-http, namespace: payments }
        spec:
          podSelector: { matchLabels: { app: api } }
          port: 8080
          accessPolicy: all-authenticated
      `,
    });
    expect(findings).toEqual([]);
  });
});
