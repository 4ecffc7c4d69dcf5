import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../src/core/scan/rule.ts';
import { rule as spi01 } from '../../../../src/core/scan/rules/spi-01-spiffe-id-scheme.ts';
import { rule as spi02 } from '../../../../src/core/scan/rules/spi-02-selectors-too-broad.ts';
import { rule as spi03 } from '../../../../src/core/scan/rules/spi-03-svid-ttl.ts';
import { rule as spi04 } from '../../../../src/core/scan/rules/spi-04-parent-not-psat-agent.ts';
import { rule as spi05 } from '../../../../src/core/scan/rules/spi-05-trust-domain-allowlist.ts';
import { rule as spi06 } from '../../../../src/core/scan/rules/spi-06-admin-downstream.ts';
import { rule as spi07 } from '../../../../src/core/scan/rules/spi-07-federation-not-configured.ts';
import { rule as spi08 } from '../../../../src/core/scan/rules/spi-08-cluster-spiffeid-template.ts';
import { rule as spi09 } from '../../../../src/core/scan/rules/spi-09-cluster-spiffeid-unscoped.ts';
import { rule as spi10 } from '../../../../src/core/scan/rules/spi-10-server-svid-ttl.ts';
import { rule as spi11 } from '../../../../src/core/scan/rules/spi-11-bundle-endpoint-not-https.ts';
import { rule as spi12 } from '../../../../src/core/scan/rules/spi-12-https-spiffe-endpoint-id.ts';
import { rule as spi13 } from '../../../../src/core/scan/rules/spi-13-https-web-internal-peer.ts';
import { rule as spi14 } from '../../../../src/core/scan/rules/spi-14-bundle-endpoint-port.ts';
import { rule as spi15 } from '../../../../src/core/scan/rules/spi-15-static-secret-in-config.ts';
import { rule as spi16 } from '../../../../src/core/scan/rules/spi-16-trust-verification-disabled.ts';
import type { LocatedFinding } from './support/run-rule.ts';
import { at, runRule } from './support/run-rule.ts';

function located(found: readonly LocatedFinding[]): string[][] {
  return [...found]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map((f) => [f.rule, f.severity, at(f)]);
}

const ALLOWLIST = { trustDomains: ['prod.example.com', 'staging.example.com'] };

/** `spire-server entry show -output json`: a node alias and one well-formed workload entry. */
const ENTRIES_OK = `
  {
    "entries": [
      {
        "id": "alias-prod",
        "spiffe_id": { "trust_domain": "prod.example.com", "path": "/k8s-cluster/prod" },
        "parent_id": { "trust_domain": "prod.example.com", "path": "/spire/server" },
        "selectors": [{ "type": "k8s_psat", "value": "cluster:prod" }]
      },
      {
        "id": "payments-api",
        "spiffe_id": { "trust_domain": "prod.example.com", "path": "/ns/payments/sa/api" },
        "parent_id": { "trust_domain": "prod.example.com", "path": "/k8s-cluster/prod" },
        "selectors": [
          { "type": "k8s", "value": "ns:payments" },
          { "type": "k8s", "value": "sa:api" }
        ],
        "x509_svid_ttl": 3600,
        "jwt_svid_ttl": 300,
        "federates_with": ["partner.example.net"],
        "admin": false,
        "downstream": false
      }
    ]
  }
`;

const SERVER_OK = `
  server {
    bind_address          = "0.0.0.0"
    trust_domain          = "prod.example.com"
    ca_ttl                = "24h"
    default_x509_svid_ttl = "1h"
    default_jwt_svid_ttl  = "5m"
    federation {
      bundle_endpoint {
        address = "0.0.0.0"
        port    = 8443
      }
      federates_with "partner.example.net" {
        bundle_endpoint_url = "https://spire.partner.example.net:8443"
        bundle_endpoint_profile "https_spiffe" {
          endpoint_spiffe_id = "spiffe://partner.example.net/spire/server"
        }
      }
    }
  }
  plugins {
    NodeAttestor "k8s_psat" {
      plugin_data {
        clusters = {
          "prod" = { service_account_allow_list = ["spire:spire-agent"] }
        }
      }
    }
  }
`;

const CLUSTER_SPIFFEID_OK = `
  apiVersion: spire.spiffe.io/v1alpha1
  kind: ClusterSPIFFEID
  metadata:
    name: workloads
  spec:
    spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"
    namespaceSelector:
      matchLabels:
        spiffe.example.com/enabled: "true"
    ttl: 1h
`;

describe('SPIRE rules on a compliant setup', () => {
  const rules: Rule[] = [
    spi01,
    spi02,
    spi03,
    spi04,
    spi05,
    spi06,
    spi07,
    spi08,
    spi09,
    spi10,
    spi11,
    spi12,
    spi13,
    spi14,
    spi15,
    spi16,
  ];
  it.each(rules)('$meta.id reports nothing', async (rule) => {
    const found = await runRule(
      rule,
      {
        'spire/entries.json': ENTRIES_OK,
        'spire/server.conf': SERVER_OK,
        'spire/cluster-spiffeid.yaml': CLUSTER_SPIFFEID_OK,
      },
      ALLOWLIST,
    );
    expect(found).toEqual([]);
  });
});

describe('SPI-01 SPIFFE ID naming scheme', () => {
  it('flags a Kubernetes entry whose ID is not /ns/<ns>/sa/<sa>', async () => {
    const found = await runRule(spi01, {
      'spire/entries.json': `
        {"entries": [{
          "spiffe_id": "spiffe://prod.example.com/payments/api",
          "parent_id": "spiffe://prod.example.com/spire/agent/k8s_psat/prod/node-1",
          "selectors": [{"type": "k8s", "value": "ns:payments"}, {"type": "k8s", "value": "sa:api"}]
        }]}
      `,
    });
    expect(located(found)).toEqual([['SPI-01', 'medium', '2:3']]);
  });

  it('accepts the RFC CI form and flags a malformed CI ID', async () => {
    const entries = (path: string) => `
      [{"spiffe_id": "spiffe://prod.example.com${path}", "parent_id": "spiffe://prod.example.com/spire/agent/k8s_psat/prod/n1",
        "selectors": [{"type": "k8s", "value": "ns:ci"}, {"type": "k8s", "value": "sa:runner"}]}]
    `;
    expect(await runRule(spi01, { 'spire/ci.json': entries('/ci/github/repo/main') })).toEqual([]);
    const found = await runRule(spi01, { 'spire/ci.json': entries('/ci/jenkins/repo/main') });
    expect(found.map((f) => f.message)).toEqual([
      expect.stringContaining('/ci/<github|gitlab|tekton>'),
    ]);
  });
});

describe('SPI-02 selectors too broad', () => {
  it('flags a namespace-only entry at its selectors', async () => {
    const found = await runRule(spi02, {
      'spire/entries.json': `
        {"entries": [{
          "spiffe_id": "spiffe://prod.example.com/ns/payments/sa/api",
          "parent_id": "spiffe://prod.example.com/spire/agent/k8s_psat/prod/node-1",
          "selectors": [{"type": "k8s", "value": "ns:payments"}]
        }]}
      `,
    });
    expect(located(found)).toEqual([['SPI-02', 'high', '4:3']]);
    expect(found[0]!.message).toContain('k8s:sa');
  });

  it('flags a service-account selector that disagrees with the ID', async () => {
    const found = await runRule(spi02, {
      'spire/static.yaml': `
        apiVersion: spire.spiffe.io/v1alpha1
        kind: ClusterStaticEntry
        metadata: { name: payments-api }
        spec:
          spiffeID: spiffe://prod.example.com/ns/payments/sa/api
          parentID: spiffe://prod.example.com/spire/agent/k8s_psat/prod/node-1
          selectors:
            - k8s:ns:payments
            - k8s:sa:default
      `,
    });
    expect(located(found)).toEqual([['SPI-02', 'high', '9:7']]);
  });
});

describe('SPI-03 SVID lifetime', () => {
  it('flags an entry ttl over 86400 and a ClusterSPIFFEID ttl over 24h', async () => {
    const found = await runRule(spi03, {
      'spire/entries.json': `
        [{"spiffe_id": "spiffe://prod.example.com/ns/a/sa/b", "selectors": [], "x509_svid_ttl": 172800}]
      `,
      'spire/csid.yaml': CLUSTER_SPIFFEID_OK.replace('ttl: 1h', 'ttl: 48h'),
    });
    expect(found.map((f) => [f.rule, f.severity, f.file, at(f)])).toEqual([
      ['SPI-03', 'high', 'spire/entries.json', '1:72'],
      ['SPI-03', 'high', 'spire/csid.yaml', '10:3'],
    ]);
  });
});

describe('SPI-04 parent and node attestation', () => {
  it('flags a join-token parent', async () => {
    const found = await runRule(spi04, {
      'spire/entries.json': `
        [{"spiffe_id": "spiffe://prod.example.com/ns/a/sa/b",
          "parent_id": "spiffe://prod.example.com/spire/agent/join_token/4b6e1c4e-2f0a-4c1b-9c0e-1f0c7d8e9a00",
          "selectors": [{"type": "k8s", "value": "ns:a"}, {"type": "k8s", "value": "sa:b"}]}]
      `,
    });
    expect(located(found)).toEqual([['SPI-04', 'medium', '2:3']]);
    expect(found[0]!.message).toContain('join-token');
  });

  it('flags the join_token node attestor in an agent config', async () => {
    const found = await runRule(spi04, {
      'spire/agent.conf': `
        agent {
          trust_domain = "prod.example.com"
          server_address = "spire-server"
        }
        plugins {
          NodeAttestor "join_token" {
            plugin_data {}
          }
        }
      `,
    });
    expect(located(found)).toEqual([['SPI-04', 'medium', '6:16']]);
  });
});

describe('SPI-05 trust domain allowlist', () => {
  it('flags an entry and a server outside the allowlist', async () => {
    const found = await runRule(
      spi05,
      {
        'spire/entries.json': ENTRIES_OK.replace(
          '{ "trust_domain": "prod.example.com", "path": "/ns/payments/sa/api" }',
          '{ "trust_domain": "example.org", "path": "/ns/payments/sa/api" }',
        ),
        'spire/server.conf': SERVER_OK.replace(
          'trust_domain          = "prod.example.com"',
          'trust_domain          = "dev.local"',
        ),
      },
      ALLOWLIST,
    );
    expect(found.map((f) => [f.rule, f.severity, f.file, at(f)])).toEqual([
      ['SPI-05', 'high', 'spire/entries.json', '11:7'],
      ['SPI-05', 'high', 'spire/server.conf', '3:3'],
    ]);
  });

  it('stays silent without an allowlist', async () => {
    const found = await runRule(spi05, {
      'spire/server.conf': SERVER_OK.replace('prod.example.com', 'dev.local'),
    });
    expect(found).toEqual([]);
  });
});

describe('SPI-06 admin and downstream', () => {
  it('flags admin: true on an application entry but not on a SPIRE namespace entry', async () => {
    const entry = (ns: string) => `
      [{"spiffe_id": "spiffe://prod.example.com/ns/${ns}/sa/app",
        "selectors": [{"type": "k8s", "value": "ns:${ns}"}, {"type": "k8s", "value": "sa:app"}],
        "admin": true}]
    `;
    const found = await runRule(spi06, { 'spire/entries.json': entry('payments') });
    expect(located(found)).toEqual([['SPI-06', 'high', '3:3']]);
    expect(await runRule(spi06, { 'spire/entries.json': entry('spire') })).toEqual([]);
  });

  it('flags downstream: true on a ClusterSPIFFEID for every namespace', async () => {
    const found = await runRule(spi06, {
      'spire/csid.yaml': `${CLUSTER_SPIFFEID_OK}    downstream: true\n`,
    });
    expect(located(found)).toEqual([['SPI-06', 'high', '11:3']]);
  });
});

describe('SPI-07 federation with an unconfigured trust domain', () => {
  it('flags an entry federating with a domain the server does not', async () => {
    const found = await runRule(spi07, {
      'spire/entries.json': ENTRIES_OK.replace(
        '"partner.example.net"',
        '"spiffe://other.example.org"',
      ),
      'spire/server.conf': SERVER_OK,
    });
    expect(located(found)).toEqual([['SPI-07', 'medium', '19:26']]);
    expect(found[0]!.message).toContain('other.example.org');
  });

  it('does not judge when no server configuration is scanned', async () => {
    const found = await runRule(spi07, {
      'spire/entries.json': ENTRIES_OK.replace('"partner.example.net"', '"other.example.org"'),
    });
    expect(found).toEqual([]);
  });
});

describe('SPI-08 ClusterSPIFFEID template', () => {
  it('flags a constant template', async () => {
    const found = await runRule(spi08, {
      'spire/csid.yaml': CLUSTER_SPIFFEID_OK.replace(
        '"spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"',
        '"spiffe://{{ .TrustDomain }}/workload"',
      ),
    });
    expect(located(found)).toEqual([['SPI-08', 'high', '6:3']]);
    expect(found[0]!.message).toContain('constant');
  });

  it('flags a template keyed on the pod name only', async () => {
    const found = await runRule(spi08, {
      'spire/csid.yaml': CLUSTER_SPIFFEID_OK.replace(
        '/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}',
        '/pod/{{ .PodMeta.Name }}',
      ),
    });
    expect(found).toHaveLength(1);
  });
});

describe('SPI-09 ClusterSPIFFEID without selectors', () => {
  it('reports a ClusterSPIFFEID selecting every pod as info', async () => {
    const found = await runRule(spi09, {
      'spire/csid.yaml': CLUSTER_SPIFFEID_OK.replace(/ +namespaceSelector:\n.*\n.*\n/, ''),
    });
    expect(located(found)).toEqual([['SPI-09', 'info', '5:1']]);
  });
});

describe('SPI-10 server SVID defaults', () => {
  it('flags a 48h default X.509 TTL longer than the CA', async () => {
    const found = await runRule(spi10, {
      'spire/server.conf': SERVER_OK.replace(
        'default_x509_svid_ttl = "1h"',
        'default_x509_svid_ttl = "48h"',
      ),
    });
    expect(located(found)).toEqual([
      ['SPI-10', 'high', '4:3'],
      ['SPI-10', 'high', '5:3'],
    ]);
  });
});

describe('SPI-11 bundle endpoint over http', () => {
  it('rates an http bundle URL critical', async () => {
    const found = await runRule(spi11, {
      'spire/server.conf': SERVER_OK.replace(
        'https://spire.partner.example.net:8443',
        'http://spire.partner.example.net:8443',
      ),
    });
    expect(located(found)).toEqual([['SPI-11', 'critical', '13:7']]);
  });
});

describe('SPI-12 https_spiffe endpoint ID', () => {
  it('flags an endpoint ID of another trust domain', async () => {
    const found = await runRule(spi12, {
      'spire/server.conf': SERVER_OK.replace(
        'spiffe://partner.example.net/spire/server',
        'spiffe://prod.example.com/spire/server',
      ),
    });
    expect(located(found)).toEqual([['SPI-12', 'high', '15:9']]);
  });
});

describe('SPI-13 https_web for an internal peer', () => {
  const webPeer = (peer: string) =>
    SERVER_OK.replaceAll('partner.example.net', peer).replace(
      /bundle_endpoint_profile "https_spiffe" \{[^}]*\}/,
      'bundle_endpoint_profile "https_web" {}',
    );

  it('rates an internal peer low and a partner info', async () => {
    const internal = await runRule(spi13, { 'spire/server.conf': webPeer('staging.example.com') });
    expect(located(internal)).toEqual([['SPI-13', 'low', '14:31']]);
    const partner = await runRule(spi13, { 'spire/server.conf': webPeer('partner.example.net') });
    expect(partner.map((f) => f.severity)).toEqual(['info']);
  });
});

describe('SPI-14 bundle endpoint port', () => {
  it('reports a bundle endpoint served on 443', async () => {
    const found = await runRule(spi14, {
      'spire/server.conf': SERVER_OK.replace('port    = 8443', 'port    = 443'),
    });
    expect(located(found)).toEqual([['SPI-14', 'info', '10:7']]);
  });
});

/** A ConfigMap carrying `server.conf` as the text `body`, indented under `data:`. */
const configMap = (body: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: spire-server\n  namespace: spire\ndata:\n  server.conf: |\n${body
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `    ${line}`))
    .join('\n')}\n`;
const hclConf = SERVER_OK.replace(/^\n {2}/, '').replace(/\n {2}/g, '\n');
const cftd = (spec: string): string => `
    apiVersion: spire.spiffe.io/v1alpha1
    kind: ClusterFederatedTrustDomain
    metadata:
      name: partner
    spec:
    ${spec}
    `;
const values = (server: string): string => `
    global:
      spire:
        trustDomain: prod.example.com
    spire-server:
    ${server}
    `;

describe('SPI-10/11/12 read server.conf in a ConfigMap, ClusterFederatedTrustDomain and Helm values', () => {
  it('flags, inside an HCL server.conf ConfigMap, the lines of the embedded keys', async () => {
    const text = hclConf
      .replace('default_x509_svid_ttl = "1h"', 'default_x509_svid_ttl = "48h"')
      .replace('https://spire.partner.example.net:8443', 'http://spire.partner.example.net:8443')
      .replace(
        'spiffe://partner.example.net/spire/server',
        'spiffe://prod.example.com/spire/server',
      );
    const files = { 'k8s/spire-server.yaml': configMap(text) };
    // `server {` is line 8 of the file: ca_ttl (shorter than the SVIDs) and the 48h TTL follow.
    expect(located(await runRule(spi10, files))).toEqual([
      ['SPI-10', 'high', '11:7'],
      ['SPI-10', 'high', '12:7'],
    ]);
    expect(located(await runRule(spi11, files))).toEqual([['SPI-11', 'critical', '20:11']]);
    expect(located(await runRule(spi12, files))).toEqual([['SPI-12', 'high', '22:13']]);
  });

  it('reads a JSON server.conf as the hardened chart renders it, and accepts a compliant one', async () => {
    const json = (url: string): string =>
      JSON.stringify(
        {
          server: {
            trust_domain: 'prod.example.com',
            ca_ttl: '24h',
            default_x509_svid_ttl: '1h',
            federation: {
              federates_with: {
                'partner.example.net': {
                  bundle_endpoint_url: url,
                  bundle_endpoint_profile: {
                    https_spiffe: {
                      endpoint_spiffe_id: 'spiffe://partner.example.net/spire/server',
                    },
                  },
                },
              },
            },
          },
          plugins: {},
        },
        null,
        2,
      );
    const http = await runRule(spi11, {
      'k8s/cm.yaml': configMap(json('http://spire.partner.example.net:8443')),
    });
    expect(http.map((f) => [f.rule, f.file, f.line])).toEqual([['SPI-11', 'k8s/cm.yaml', 16]]);
    const https = { 'k8s/cm.yaml': configMap(json('https://spire.partner.example.net:8443')) };
    for (const rule of [spi10, spi11, spi12]) expect(await runRule(rule, https)).toEqual([]);
  });

  it('leaves a ConfigMap without a SPIRE configuration alone', async () => {
    const files = {
      'k8s/app.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  nginx.conf: "server { listen 80; }"\n  settings.json: '{"trust_domain": "x"}'\n`,
    };
    for (const rule of [spi10, spi11, spi12]) expect(await runRule(rule, files)).toEqual([]);
  });

  it('flags a ClusterFederatedTrustDomain fetched over http or pinning the wrong server ID', async () => {
    const found = await runRule(spi11, {
      'spire/cftd.yaml': cftd(`
      trustDomain: partner.example.net
      bundleEndpointURL: http://spire.partner.example.net:8443
      bundleEndpointProfile:
        type: https_spiffe
        endpointSPIFFEID: spiffe://partner.example.net/spire/server`),
    });
    expect(located(found)).toEqual([['SPI-11', 'critical', '8:3']]);
    const wrong = await runRule(spi12, {
      'spire/cftd.yaml': cftd(`
      trustDomain: partner.example.net
      bundleEndpointURL: https://spire.partner.example.net:8443
      bundleEndpointProfile:
        type: https_spiffe`),
    });
    expect(located(wrong)).toEqual([['SPI-12', 'high', '9:3']]);
    expect(wrong[0]!.message).toContain('spiffe://partner.example.net/spire/server');
  });

  it('accepts a compliant ClusterFederatedTrustDomain, and https_web without an ID', async () => {
    for (const profile of [
      'type: https_spiffe\n        endpointSPIFFEID: spiffe://partner.example.net/spire/server',
      'type: https_web',
    ]) {
      const files = {
        'spire/cftd.yaml': cftd(`
      trustDomain: partner.example.net
      bundleEndpointURL: https://spire.partner.example.net:8443
      bundleEndpointProfile:
        ${profile}`),
      };
      expect(await runRule(spi11, files)).toEqual([]);
      expect(await runRule(spi12, files)).toEqual([]);
    }
  });

  it('flags Helm values: long SVID TTLs, a CA shorter than them, and federated peers', async () => {
    const files = {
      'deploy/spire/values.yaml': values(`
      caTTL: 12h
      defaultX509SvidTTL: 48h
      defaultJwtSvidTTL: 1h
      controllerManager:
        identities:
          clusterFederatedTrustDomains:
            partner:
              trustDomain: partner.example.net
              bundleEndpointURL: http://spire.partner.example.net:8443
              bundleEndpointProfile:
                type: https_spiffe
                endpointSPIFFEID: spiffe://other.example.net/spire/server`),
    };
    expect(located(await runRule(spi10, files))).toEqual([
      ['SPI-10', 'high', '6:3'],
      ['SPI-10', 'high', '7:3'],
    ]);
    expect(located(await runRule(spi11, files))).toEqual([['SPI-11', 'critical', '14:11']]);
    expect(located(await runRule(spi12, files))).toEqual([['SPI-12', 'high', '17:13']]);
  });

  it('accepts Helm values within the limits, and compares the CA with the chart default SVID TTL', async () => {
    const ok = {
      'values.yaml': values(`
      caTTL: 24h
      defaultX509SvidTTL: 1h
      defaultJwtSvidTTL: 5m`),
    };
    for (const rule of [spi10, spi11, spi12]) expect(await runRule(rule, ok)).toEqual([]);
    // The chart's X.509-SVIDs live 4h unless set: a 2h CA is shorter.
    const shortCa = await runRule(spi10, { 'values.yaml': values('  caTTL: 2h') });
    expect(located(shortCa)).toEqual([['SPI-10', 'high', '5:3']]);
  });
});

describe('SPI-05/07/13/14 read server.conf in a ConfigMap, ClusterFederatedTrustDomain and Helm values', () => {
  /** Helm values for the hardened chart: `global` first (three lines), then `spire-server:`. */
  const chart = (global: string, server: string): string =>
    `global:\n  spire:\n${global}\nspire-server:\n${server}\n`;

  /** `spire-server` values (lines 5–12) federating with partner.example.net over https_web. */
  const chartPartner = (url: string): string[] => [
    '  controllerManager:',
    '    identities:',
    '      clusterFederatedTrustDomains:',
    '        partner:',
    '          trustDomain: partner.example.net',
    `          bundleEndpointURL: ${url}`,
    '          bundleEndpointProfile:',
    '            type: https_web',
  ];

  it('SPI-05 flags the trust domain of a server.conf in a ConfigMap at the embedded key', async () => {
    const found = await runRule(
      spi05,
      { 'k8s/spire-server.yaml': configMap(hclConf.replace('"prod.example.com"', '"dev.local"')) },
      ALLOWLIST,
    );
    // `server {` is line 8 of the file; trust_domain is the third line of server.conf.
    expect(located(found)).toEqual([['SPI-05', 'high', '10:7']]);
    const ok = await runRule(spi05, { 'k8s/spire-server.yaml': configMap(hclConf) }, ALLOWLIST);
    expect(ok).toEqual([]);
  });

  it('SPI-05 reads the chart: global.spire.trustDomain wins over spire-server.trustDomain', async () => {
    const globalWins = chart('    trustDomain: dev.local', '  trustDomain: prod.example.com');
    expect(located(await runRule(spi05, { 'values.yaml': globalWins }, ALLOWLIST))).toEqual([
      ['SPI-05', 'high', '3:5'],
    ]);
    // An empty global falls back to the subchart's own value, as the chart's helper does.
    const fallback = chart('    trustDomain: ""', '  trustDomain: dev.local');
    expect(located(await runRule(spi05, { 'values.yaml': fallback }, ALLOWLIST))).toEqual([
      ['SPI-05', 'high', '5:3'],
    ]);
    const ok = chart('    trustDomain: prod.example.com', '  trustDomain: dev.local');
    expect(await runRule(spi05, { 'values.yaml': ok }, ALLOWLIST)).toEqual([]);
  });

  it("SPI-05 flags a literal foreign trust domain in the chart's clusterSPIFFEIDs, not a template", async () => {
    const values = chart(
      '    trustDomain: prod.example.com',
      [
        '  controllerManager:',
        '    identities:',
        '      clusterSPIFFEIDs:',
        '        default:',
        '          spiffeIDTemplate: spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}',
        '        legacy:',
        '          spiffeIDTemplate: spiffe://dev.local/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}',
      ].join('\n'),
    );
    const found = await runRule(spi05, { 'values.yaml': values }, ALLOWLIST);
    expect(located(found)).toEqual([['SPI-05', 'high', '11:11']]);
    expect(found[0]!.message).toContain('ClusterSPIFFEID legacy');
  });

  it("SPI-07 takes the server's peers from a ConfigMap and from ClusterFederatedTrustDomains", async () => {
    const stray = ENTRIES_OK.replace('"partner.example.net"', '"other.example.org"');
    const inConfigMap = await runRule(spi07, {
      'spire/entries.json': stray,
      'k8s/spire-server.yaml': configMap(hclConf),
    });
    expect(located(inConfigMap)).toEqual([['SPI-07', 'medium', '19:26']]);
    expect(
      await runRule(spi07, {
        'spire/entries.json': ENTRIES_OK,
        'k8s/spire-server.yaml': configMap(hclConf),
      }),
    ).toEqual([]);
    const peerObject = cftd(`
      trustDomain: partner.example.net
      bundleEndpointURL: https://spire.partner.example.net:8443
      bundleEndpointProfile:
        type: https_web`);
    expect(
      await runRule(spi07, { 'spire/entries.json': ENTRIES_OK, 'spire/cftd.yaml': peerObject }),
    ).toEqual([]);
    expect(
      located(await runRule(spi07, { 'spire/entries.json': stray, 'spire/cftd.yaml': peerObject })),
    ).toEqual([['SPI-07', 'medium', '19:26']]);
  });

  it("SPI-07 does not count a ConfigMap without a server configuration as the server's federation", async () => {
    const found = await runRule(spi07, {
      'spire/entries.json': ENTRIES_OK.replace('"partner.example.net"', '"other.example.org"'),
      'k8s/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  a: b\n',
    });
    expect(found).toEqual([]);
  });

  it("SPI-07 reads the chart's clusterSPIFFEIDs against its clusterFederatedTrustDomains", async () => {
    const values = chart(
      '    trustDomain: prod.example.com',
      [
        ...chartPartner('https://spire.partner.example.net:8443'),
        '      clusterSPIFFEIDs:',
        '        default:',
        '          federatesWith:',
        '            - partner.example.net',
        '            - other.example.org',
      ].join('\n'),
    );
    const found = await runRule(spi07, { 'values.yaml': values });
    expect(located(found)).toEqual([['SPI-07', 'medium', '17:15']]);
    expect(found[0]!.message).toContain('ClusterSPIFFEID default federates with other.example.org');
  });

  it("SPI-13 judges a ConfigMap's peers by its own trust domain", async () => {
    const web = hclConf
      .replaceAll('partner.example.net', 'staging.example.com')
      .replace(
        /bundle_endpoint_profile "https_spiffe" \{[^}]*\}/,
        'bundle_endpoint_profile "https_web" {}',
      );
    const found = await runRule(spi13, { 'k8s/spire-server.yaml': configMap(web) });
    expect(located(found)).toEqual([['SPI-13', 'low', '21:35']]);
  });

  it('SPI-13 judges a ClusterFederatedTrustDomain by the servers in the scan, info without one', async () => {
    const peer = cftd(`
      trustDomain: staging.example.com
      bundleEndpointURL: https://spire.staging.example.com:8443
      bundleEndpointProfile:
        type: https_web`);
    const withServer = await runRule(spi13, {
      'spire/cftd.yaml': peer,
      'spire/server.conf': SERVER_OK,
    });
    expect(located(withServer)).toEqual([['SPI-13', 'low', '9:3']]);
    const alone = await runRule(spi13, { 'spire/cftd.yaml': peer });
    expect(alone.map((f) => f.severity)).toEqual(['info']);
    expect(alone[0]!.message).toContain('no SPIRE server in the scan says whether it is a partner');
    const partnerOfChart = chart(
      '    trustDomain: prod.example.com',
      chartPartner('https://spire.partner.example.net').join('\n'),
    );
    const helm = await runRule(spi13, { 'values.yaml': partnerOfChart });
    expect(helm.map((f) => [f.severity, at(f)])).toEqual([['info', '11:11']]);
  });

  it('SPI-14 reads the bundle endpoint port in a ConfigMap and a peer URL in a ClusterFederatedTrustDomain', async () => {
    const own = await runRule(spi14, {
      'k8s/spire-server.yaml': configMap(hclConf.replace('port    = 8443', 'port    = 443')),
    });
    expect(located(own)).toEqual([['SPI-14', 'info', '17:11']]);
    const peer = await runRule(spi14, {
      'spire/cftd.yaml': cftd(`
      trustDomain: partner.example.net
      bundleEndpointURL: https://spire.partner.example.net
      bundleEndpointProfile:
        type: https_web`),
    });
    expect(located(peer)).toEqual([['SPI-14', 'info', '8:3']]);
    expect(peer[0]!.message).toContain('port 443');
    expect(await runRule(spi14, { 'k8s/spire-server.yaml': configMap(hclConf) })).toEqual([]);
  });
});

describe('SPI-04/14 read a ConfigMap and the Helm chart too', () => {
  it('SPI-04 flags a join_token attestor in an agent.conf ConfigMap, at the embedded line', async () => {
    const agent = [
      'agent {',
      '  trust_domain = "prod.example.com"',
      '}',
      'plugins {',
      '  NodeAttestor "join_token" {',
      '    plugin_data {}',
      '  }',
      '}',
    ].join('\n');
    const found = await runRule(spi04, {
      'k8s/agent.yaml': configMap(agent).replace('server.conf', 'agent.conf'),
    });
    // `agent {` is line 8; the attestor's label is on the fifth line of agent.conf.
    expect(located(found)).toEqual([['SPI-04', 'medium', '12:20']]);
  });

  it("SPI-04 flags the chart's nodeAttestor.joinToken.enabled, and not when it is off", async () => {
    const chartWith = (enabled: boolean): string =>
      `spire-server:\n  nodeAttestor:\n    k8sPsat:\n      enabled: true\n    joinToken:\n      enabled: ${enabled}\n`;
    expect(located(await runRule(spi04, { 'values.yaml': chartWith(true) }))).toEqual([
      ['SPI-04', 'medium', '6:7'],
    ]);
    expect(await runRule(spi04, { 'values.yaml': chartWith(false) })).toEqual([]);
  });

  it("SPI-14 reads the chart's federation.bundleEndpoint.port when federation is enabled", async () => {
    const chartWith = (enabled: boolean, port: number): string =>
      `spire-server:\n  federation:\n    enabled: ${enabled}\n    bundleEndpoint:\n      port: ${port}\n      address: 0.0.0.0\n`;
    expect(located(await runRule(spi14, { 'values.yaml': chartWith(true, 443) }))).toEqual([
      ['SPI-14', 'info', '5:7'],
    ]);
    expect(await runRule(spi14, { 'values.yaml': chartWith(false, 443) })).toEqual([]);
    expect(await runRule(spi14, { 'values.yaml': chartWith(true, 8443) })).toEqual([]);
  });
});

describe('SPI-15 static secret in SPIRE Helm values', () => {
  const upstreamKey = [
    'spire-server:',
    '  upstreamAuthority:',
    '    disk:',
    '      enabled: true',
    '      secret:',
    '        create: true',
    '        data:',
    '          certificate: |',
    '            -----BEGIN CERTIFICATE-----',
    '            MIIBfake',
    '            -----END CERTIFICATE-----',
    '          key: |',
    '            -----BEGIN EC PRIVATE KEY-----',
    '            MHcCAQEEIfake',
    '            -----END EC PRIVATE KEY-----',
    '',
  ].join('\n');

  it('rates the upstream CA private key critical, at its key', async () => {
    const found = await runRule(spi15, { 'deploy/spire/values.yaml': upstreamKey });
    expect(located(found)).toEqual([['SPI-15', 'critical', '12:11']]);
    expect(found[0]!.message).toContain('mint every SVID');
  });

  it('flags KMS access keys and the datastore password, high', async () => {
    const values = [
      'spire-server:',
      '  keyManager:',
      '    awsKMS:',
      '      enabled: true',
      '      region: eu-west-1',
      '      accessKeyID: AKIAIOSFODNN7EXAMPLE',
      '      secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '  dataStore:',
      '    sql:',
      '      databaseType: postgres',
      '      password: hunter2-but-longer',
      '',
    ].join('\n');
    expect(located(await runRule(spi15, { 'values.yaml': values }))).toEqual([
      ['SPI-15', 'high', '6:7'],
      ['SPI-15', 'high', '7:7'],
      ['SPI-15', 'high', '11:7'],
    ]);
  });

  it('accepts the chart defaults: empty values, placeholders and an external secret', async () => {
    const values = [
      'spire-server:',
      '  upstreamAuthority:',
      '    disk:',
      '      secret:',
      '        create: false',
      '        name: spiffe-upstream-ca',
      '        data: { certificate: "", key: "", bundle: "" }',
      '  keyManager:',
      '    awsKMS: { enabled: true, accessKeyID: "", secretAccessKey: "${KMS_SECRET}" }',
      '  dataStore:',
      '    sql:',
      '      password: ""',
      '      externalSecret: { enabled: true, name: spire-db, key: password }',
      '',
    ].join('\n');
    expect(await runRule(spi15, { 'values.yaml': values })).toEqual([]);
  });
});

describe("SPI-03/06/08/09 read the Helm chart's clusterSPIFFEIDs", () => {
  const values = [
    'spire-server:',
    '  controllerManager:',
    '    identities:',
    '      clusterSPIFFEIDs:',
    '        default:',
    '          spiffeIDTemplate: spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}',
    '          podSelector: {}',
    '          namespaceSelector: {}',
    '        payments:',
    '          spiffeIDTemplate: spiffe://{{ .TrustDomain }}/payments',
    '          namespaceSelector:',
    '            matchLabels:',
    '              kubernetes.io/metadata.name: payments',
    '          ttl: 48h',
    '          jwtTTL: 36h',
    '          admin: true',
    '        retired:',
    '          enabled: false',
    '          spiffeIDTemplate: spiffe://{{ .TrustDomain }}/retired',
    '          ttl: 72h',
    '        oidc-discovery-provider:',
    '          type: oidc-discovery-provider',
    '',
  ].join('\n');
  const files = { 'deploy/spire/values.yaml': values };

  it('SPI-03 flags ttl and jwtTTL over 24h, not on a disabled entry', async () => {
    const found = await runRule(spi03, files);
    expect(located(found)).toEqual([
      ['SPI-03', 'high', '14:11'],
      ['SPI-03', 'high', '15:11'],
    ]);
    expect(found[0]!.message).toContain('ClusterSPIFFEID payments');
  });

  it('SPI-06 flags admin: true for a namespace outside the platform', async () => {
    expect(located(await runRule(spi06, files))).toEqual([['SPI-06', 'high', '16:11']]);
  });

  it('SPI-08 flags the constant template of an enabled entry only', async () => {
    const found = await runRule(spi08, files);
    expect(located(found)).toEqual([['SPI-08', 'high', '10:11']]);
    expect(found[0]!.message).toContain('constant');
  });

  it("SPI-09 reports the entry selecting every pod, not the chart's built-in types", async () => {
    const found = await runRule(spi09, files);
    expect(located(found)).toEqual([['SPI-09', 'info', '5:9']]);
    expect(found[0]!.message).toContain('ClusterSPIFFEID default has no namespace or pod selector');
  });
});

/** A server.conf whose plugins hold a `vault` upstream authority with `pluginData` (HCL). */
const withVaultUpstream = (pluginData: string): string =>
  SERVER_OK.replace(
    '  plugins {\n',
    `  plugins {\n    UpstreamAuthority "vault" {\n      plugin_data {\n${pluginData}\n      }\n    }\n`,
  );

describe('SPI-15 static secrets in a server.conf', () => {
  it('flags a Vault token and an AppRole secret ID written into the vault upstream authority', async () => {
    const conf = withVaultUpstream(
      [
        '        vault_addr = "https://vault.example.com:8200"',
        '        ca_cert_path = "/run/spire/vault-ca.pem"',
        '        token_auth { token = "hvs.CAESIJexampleexampleexample" }',
        '        approle_auth {',
        '          approle_id = "spire-server"',
        '          approle_secret_id = "6a1c0e3d-2f44-4f4b-9c55-000000000000"',
        '        }',
      ].join('\n'),
    );
    const found = await runRule(spi15, { 'spire/server.conf': conf });
    expect(found.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['SPI-15', 'high', expect.stringContaining('`token_auth.token` holds a static Vault token')],
      ['SPI-15', 'high', expect.stringContaining('`approle_auth.approle_secret_id`')],
    ]);
  });

  it('accepts a vault upstream authority that reads its credentials from the environment', async () => {
    const conf = withVaultUpstream(
      [
        '        vault_addr = "https://vault.example.com:8200"',
        '        token_auth {}',
        '        approle_auth { approle_id = "spire-server" }',
      ].join('\n'),
    );
    expect(await runRule(spi15, { 'spire/server.conf': conf })).toEqual([]);
  });
});

describe('SPI-16 trust verification disabled', () => {
  it('flags an agent that bootstraps insecurely, in a file and in a ConfigMap', async () => {
    const agent = [
      'agent {',
      '  trust_domain = "prod.example.com"',
      '  server_address = "spire-server.spire"',
      '  insecure_bootstrap = true',
      '}',
      'plugins {',
      '  NodeAttestor "k8s_psat" {',
      '    plugin_data { cluster = "prod" }',
      '  }',
      '}',
    ].join('\n');
    expect(located(await runRule(spi16, { 'spire/agent.conf': agent }))).toEqual([
      ['SPI-16', 'high', '4:3'],
    ]);
    const inConfigMap = await runRule(spi16, {
      'k8s/agent.yaml': configMap(agent).replace('server.conf', 'agent.conf'),
    });
    expect(located(inConfigMap)).toEqual([['SPI-16', 'high', '11:7']]);
    const secure = agent.replace(
      'insecure_bootstrap = true',
      'trust_bundle_path = "/run/spire/bundle/bundle.crt"',
    );
    expect(await runRule(spi16, { 'spire/agent.conf': secure })).toEqual([]);
    const overHttp = agent.replace(
      'insecure_bootstrap = true',
      'trust_bundle_url = "http://bundle.example.com/prod.pem"',
    );
    const plain = await runRule(spi16, { 'spire/agent.conf': overHttp });
    expect(located(plain)).toEqual([['SPI-16', 'high', '4:3']]);
    expect(plain[0]!.message).toContain('plain http');
    const overHttps = overHttp.replace('http://', 'https://');
    expect(await runRule(spi16, { 'spire/agent.conf': overHttps })).toEqual([]);
  });

  it('flags a vault upstream authority that skips TLS verification, in server.conf and the chart', async () => {
    const conf = withVaultUpstream(
      [
        '        vault_addr = "https://vault.example.com:8200"',
        '        insecure_skip_verify = true',
      ].join('\n'),
    );
    const found = await runRule(spi16, { 'spire/server.conf': conf });
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['SPI-16', 'high']]);
    expect(found[0]!.message).toContain('skips TLS verification');
    const verified = withVaultUpstream('        ca_cert_path = "/run/spire/vault-ca.pem"');
    expect(await runRule(spi16, { 'spire/server.conf': verified })).toEqual([]);
    const chart =
      'spire-server:\n  upstreamAuthority:\n    vault:\n      enabled: true\n      insecureSkipVerify: true\n';
    expect(located(await runRule(spi16, { 'values.yaml': chart }))).toEqual([
      ['SPI-16', 'high', '5:7'],
    ]);
    expect(
      await runRule(spi16, {
        'values.yaml': chart.replace('insecureSkipVerify: true', 'insecureSkipVerify: false'),
      }),
    ).toEqual([]);
  });
});
