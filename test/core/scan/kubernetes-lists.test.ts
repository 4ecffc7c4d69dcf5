/**
 * `kubectl get … -o yaml|json` prints one `kind: List` whose `items` are the objects; the API
 * answers with typed lists (`SecretList`) whose items carry no kind. Every item is checked as
 * the object it is, located at its own keys.
 */
import { describe, expect, it } from 'vitest';
import { rule as legacyToken } from '../../../src/core/scan/rules/k8s-01-legacy-sa-token-secret.ts';
import { active, locations, scanFiles } from './support/scan-files.ts';

const kubectlYaml = `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: deployer
    namespace: ci
- apiVersion: v1
  kind: Secret
  metadata:
    name: deployer-token
    namespace: ci
  type: kubernetes.io/service-account-token
`;

describe('Kubernetes lists', () => {
  it('checks each item of a kind: List and locates the finding at the item’s key', async () => {
    const result = await scanFiles({ 'cluster.yaml': kubectlYaml }, { rules: [legacyToken] });
    expect(locations(result, 'K8S-01')).toEqual(['cluster.yaml:16:3']);
    expect(result.findings[0]?.object).toEqual({
      kind: 'Secret',
      name: 'deployer-token',
      namespace: 'ci',
    });
    expect(result.documents).toBe(2);
  });

  it('checks the items of kubectl’s JSON output', async () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' }, type: 'Opaque' },
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'b' },
            type: 'kubernetes.io/service-account-token',
          },
        ],
      },
      null,
      2,
    );
    const result = await scanFiles({ 'cluster.json': json }, { rules: [legacyToken] });
    const lines = json.split('\n');
    const line = lines.findIndex((text) => text.includes('"type": "kubernetes.io'));
    const column = (lines[line] ?? '').indexOf('"type"');
    expect(locations(result, 'K8S-01')).toEqual([`cluster.json:${line + 1}:${column + 1}`]);
    expect(result.findings[0]?.object?.name).toBe('b');
  });

  it('gives the items of a typed list (SecretList) the kind and apiVersion the list names', async () => {
    const result = await scanFiles(
      {
        'raw.yaml': `apiVersion: v1
kind: SecretList
items:
- metadata: {name: legacy, namespace: ci}
  type: kubernetes.io/service-account-token
`,
      },
      { rules: [legacyToken] },
    );
    expect(locations(result, 'K8S-01')).toEqual(['raw.yaml:5:3']);
    expect(result.findings[0]?.object).toEqual({ kind: 'Secret', name: 'legacy', namespace: 'ci' });
  });

  it('leaves a list of compliant objects without findings', async () => {
    const result = await scanFiles(
      {
        'cluster.yaml': `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: app}
  type: Opaque
`,
      },
      { rules: [legacyToken] },
    );
    expect(active(result)).toEqual([]);
  });

  it('does not expand an object whose items are not a list, and keeps an empty list a document', async () => {
    const result = await scanFiles(
      {
        'odd.yaml': `apiVersion: example.com/v1
kind: AllowList
items: {type: kubernetes.io/service-account-token}
---
apiVersion: v1
kind: List
items: []
---
apiVersion: v1
kind: Secret
metadata: {name: after}
type: kubernetes.io/service-account-token
`,
      },
      { rules: [legacyToken] },
    );
    expect(result.documents).toBe(3);
    // The document after the list is still found where it is.
    expect(locations(result, 'K8S-01')).toEqual(['odd.yaml:12:1']);
  });

  it('locates items of a list that is not the file’s first document', async () => {
    const result = await scanFiles(
      {
        'mixed.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: ci}
---
${kubectlYaml}---
apiVersion: v1
kind: Secret
metadata: {name: last}
type: kubernetes.io/service-account-token
`,
      },
      { rules: [legacyToken] },
    );
    expect(locations(result, 'K8S-01')).toEqual(['mixed.yaml:20:3', 'mixed.yaml:25:1']);
  });

  it('fingerprints an item by its object, so reordered kubectl output keeps its baseline', async () => {
    const item = (name: string): string => `- apiVersion: v1
  kind: Secret
  metadata: {name: ${name}}
  type: kubernetes.io/service-account-token
`;
    const list = (...names: string[]): string =>
      `apiVersion: v1\nkind: List\nitems:\n${names.map(item).join('')}`;
    const fingerprints = async (text: string): Promise<Record<string, string>> => {
      const result = await scanFiles({ 'c.yaml': text }, { rules: [legacyToken] });
      return Object.fromEntries(result.findings.map((f) => [f.object?.name ?? '', f.fingerprint]));
    };
    const before = await fingerprints(list('a', 'b'));
    const after = await fingerprints(list('new', 'b', 'a'));
    expect(after['a']).toBe(before['a']);
    expect(after['b']).toBe(before['b']);
    expect(new Set(Object.values(after)).size).toBe(3);
  });

  it('applies the wif.dev/ignore annotation of the item it is on', async () => {
    const result = await scanFiles(
      {
        'cluster.yaml': `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata:
    name: kept
    annotations:
      wif.dev/ignore: "K8S-01: read by the legacy backup job"
  type: kubernetes.io/service-account-token
- apiVersion: v1
  kind: Secret
  metadata: {name: reported}
  type: kubernetes.io/service-account-token
`,
      },
      { rules: [legacyToken] },
    );
    expect(active(result).map((f) => f.object?.name)).toEqual(['reported']);
    expect(
      result.findings.filter((f) => f.suppression !== null).map((f) => f.object?.name),
    ).toEqual(['kept']);
  });
});
