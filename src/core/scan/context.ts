/**
 * Builds the cross-file `ScanContext` once per scan: documents by kind, Kubernetes objects by
 * kind/namespace/name, and every AWS trust policy with the role it belongs to, whether it came
 * from IAM JSON or from Terraform (`jsonencode`, heredoc JSON or `aws_iam_policy_document`).
 */
import path from 'node:path';
import type { ScanConfig } from './config.ts';
import { entriesOf, getAt, isKind, isObject, walk } from './document.ts';
import type {
  DocPath,
  DocumentKind,
  K8sDocument,
  PlainObject,
  ScanDocument,
  ScanDocumentOf,
} from './document.ts';
import { decodeJsonencodeExpression } from './loader/parse.ts';
import { ASSUME_ACTION } from '../policy/actions.ts';
import { hasWildcard, wildcardMatch } from '../policy/match.ts';
import type { ScanContext, TrustPolicy } from './rule.ts';
// Terraform's block rules (dynamic expansion) live with the rules that read Terraform.
import { dynamicBlocks } from './rules/support/terraform.ts';

function k8sKey(namespace: string | null, name: string): string {
  return `${namespace ?? ''}\u0000${name}`;
}

function roleNameFromArn(arnOrName: string): string {
  const match = /:role\/(.+)$/.exec(arnOrName);
  const name = match?.[1] ?? arnOrName;
  // Roles may carry a path (`role/ci/deploy`); the name is its last segment.
  return name.split('/').pop() ?? name;
}

function isTrustPolicy(policy: unknown): boolean {
  const statements = getAt(policy, ['Statement']);
  const list: readonly unknown[] = Array.isArray(statements)
    ? (statements as readonly unknown[])
    : [statements];
  return list.some((statement) => {
    const action = getAt(statement, ['Action']);
    const actions: readonly unknown[] = Array.isArray(action)
      ? (action as readonly unknown[])
      : [action];
    // A wildcard also fills identity policies (`"Action": "*"` for an admin); only a trust
    // policy's statements name a Principal.
    const principal = getAt(statement, ['Principal']) !== undefined;
    return actions.some((item) => typeof item === 'string' && isAssumeAction(item, principal));
  });
}

/** The STS actions that use a role's trust policy. */
const TRUST_ACTIONS = ['sts:AssumeRole', ASSUME_ACTION, 'sts:AssumeRoleWithSAML'];

/**
 * An `Action` entry naming a trust action. IAM action names are case-insensitive and take `*`
 * and `?` wildcards (`sts:AssumeRoleWith*`, `sts:*`, `*`); the prefix test comes first, as it
 * settles nearly every real policy.
 */
function isAssumeAction(action: string, principal: boolean): boolean {
  if (action.toLowerCase().startsWith('sts:assumerole')) return true;
  if (!principal || !hasWildcard(action, { questionMark: true })) return false;
  return TRUST_ACTIONS.some((name) =>
    wildcardMatch(action, name, { questionMark: true, ignoreCase: true }),
  );
}

function policyFromJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The blocks of a Terraform block key: a list as hcl2json gives it, or one object as `.tf.json`
 * (CDKTF) may write it.
 */
function blocksOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value as readonly unknown[];
  return value === undefined ? [] : [value];
}

/** A `data "aws_iam_policy_document"` block as IAM JSON, and what it leaves to plan time. */
export interface RenderedPolicyDocument {
  readonly policy: PlainObject;
  /** `dynamic "condition"` blocks with a computed `for_each`: their conditions are unknown. */
  readonly unresolvedConditions: readonly DocPath[];
}

/**
 * Converts a `data "aws_iam_policy_document"` block (as hcl2json gives it, at `path`) to IAM
 * JSON. `dynamic "condition"` blocks with a literal `for_each` are expanded as Terraform
 * would; computed ones are returned as unresolved, not read as "no condition".
 */
export function policyDocumentToJson(body: PlainObject, path: DocPath): RenderedPolicyDocument {
  const unresolvedConditions: DocPath[] = [];
  const statements = blocksOf(body['statement']).flatMap((statement, index) => {
    if (!isObject(statement)) return [];
    const statementPath = [...path, 'statement', index];
    const principals: Record<string, unknown> = {};
    for (const principal of blocksOf(statement['principals']).filter(isObject)) {
      const type = principal['type'];
      if (typeof type === 'string') principals[type] = principal['identifiers'];
    }
    const dynamic = dynamicBlocks(statement, statementPath, 'condition');
    unresolvedConditions.push(...dynamic.unresolved);
    const condition: Record<string, Record<string, unknown>> = {};
    const tests = [
      ...blocksOf(statement['condition']).filter(isObject),
      ...dynamic.blocks.map((block) => block.body),
    ];
    for (const test of tests) {
      const operator = test['test'];
      const variable = test['variable'];
      if (typeof operator !== 'string' || typeof variable !== 'string') continue;
      condition[operator] = { ...(condition[operator] ?? {}), [variable]: test['values'] };
    }
    return [
      {
        Effect: typeof statement['effect'] === 'string' ? statement['effect'] : 'Allow',
        Action: statement['actions'],
        Principal: principals,
        Condition: condition,
      },
    ];
  });
  return { policy: { Version: '2012-10-17', Statement: statements }, unresolvedConditions };
}

async function buildJsonencodeCache(
  documents: readonly ScanDocument[],
): Promise<Map<string, unknown>> {
  const cache = new Map<string, unknown>();
  for (const document of documents) {
    if (!isKind(document, 'terraform')) continue;
    const pending: string[] = [];
    walk(document.value, ({ value }) => {
      if (typeof value === 'string' && value.startsWith('${jsonencode(') && !cache.has(value)) {
        pending.push(value);
      }
    });
    for (const expression of pending) {
      cache.set(expression, await decodeJsonencodeExpression(expression));
    }
  }
  return cache;
}

function terraformTrustPolicies(
  document: ScanDocument,
  decode: (expression: string) => unknown,
): TrustPolicy[] {
  const found: TrustPolicy[] = [];
  const dataDocuments = getAt(document.value, ['data', 'aws_iam_policy_document']);
  for (const [label, blocks] of entriesOf(getAt(document.value, ['resource', 'aws_iam_role']))) {
    // hcl2json gives a list of blocks per label; `.tf.json` (CDKTF output) writes one object.
    const listed = Array.isArray(blocks);
    blocksOf(blocks).forEach((block, index) => {
      if (!isObject(block)) return;
      const raw = block['assume_role_policy'];
      const policyPath: DocPath = [
        'resource',
        'aws_iam_role',
        label,
        ...(listed ? [index] : []),
        'assume_role_policy',
      ];
      let policy: unknown;
      let unresolvedConditions: readonly DocPath[] = [];
      if (typeof raw === 'string') {
        const reference = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(raw);
        const dataLabel = reference?.[1] ?? '';
        const written = getAt(dataDocuments, [dataLabel]);
        const referenced = reference === null ? undefined : blocksOf(written)[0];
        if (raw.startsWith('${jsonencode(')) policy = decode(raw);
        else if (isObject(referenced)) {
          const dataPath: DocPath = [
            'data',
            'aws_iam_policy_document',
            dataLabel,
            ...(Array.isArray(written) ? [0] : []),
          ];
          const rendered = policyDocumentToJson(referenced, dataPath);
          policy = rendered.policy;
          unresolvedConditions = rendered.unresolvedConditions;
        } else policy = policyFromJsonText(raw);
      } else if (isObject(raw)) {
        policy = raw;
      }
      if (policy === undefined) return;
      const name = block['name'];
      found.push({
        roleName: typeof name === 'string' && !name.includes('${') ? name : label,
        roleArn: null,
        policy,
        document,
        path: policyPath,
        ...(unresolvedConditions.length > 0 ? { unresolvedConditions } : {}),
      });
    });
  }
  return found;
}

function iamTrustPolicies(document: ScanDocument): TrustPolicy[] {
  const value = document.value;
  const role = getAt(value, ['Role']);
  if (isObject(role)) {
    const arn = role['Arn'];
    const name = role['RoleName'];
    return [
      {
        roleName:
          typeof name === 'string' ? name : typeof arn === 'string' ? roleNameFromArn(arn) : null,
        roleArn: typeof arn === 'string' ? arn : null,
        policy: role['AssumeRolePolicyDocument'],
        document,
        path: ['Role', 'AssumeRolePolicyDocument'],
      },
    ];
  }
  const baseName = path
    .basename(document.file)
    .replace(/(\.trust)?(-trust)?(-policy)?\.json$/i, '');
  if (isObject(getAt(value, ['AssumeRolePolicyDocument']))) {
    const name = getAt(value, ['RoleName']);
    return [
      {
        roleName: typeof name === 'string' ? name : baseName,
        roleArn: null,
        policy: getAt(value, ['AssumeRolePolicyDocument']),
        document,
        path: ['AssumeRolePolicyDocument'],
      },
    ];
  }
  if (!isTrustPolicy(value)) return [];
  return [{ roleName: baseName, roleArn: null, policy: value, document, path: [] }];
}

export async function buildContext(
  documents: readonly ScanDocument[],
  config: ScanConfig,
): Promise<ScanContext> {
  const byKind = new Map<DocumentKind, ScanDocument[]>();
  const k8sByKind = new Map<string, K8sDocument[]>();
  // Objects by namespace and name, indexed per kind on the first lookup of that kind: rules
  // look up a handful of kinds (Secret, ServiceAccount, Namespace…), never most of a scan.
  const k8sIndex = new Map<string, Map<string, K8sDocument>>();
  const indexOfKind = (k8sKind: string): Map<string, K8sDocument> => {
    let index = k8sIndex.get(k8sKind);
    if (index === undefined) {
      index = new Map();
      for (const document of k8sByKind.get(k8sKind) ?? []) {
        const key = k8sKey(document.classification.namespace, document.classification.name);
        if (!index.has(key)) index.set(key, document);
      }
      k8sIndex.set(k8sKind, index);
    }
    return index;
  };
  for (const document of documents) {
    const list = byKind.get(document.classification.kind);
    if (list === undefined) byKind.set(document.classification.kind, [document]);
    else list.push(document);
    if (isKind(document, 'k8s')) {
      const ofKind = k8sByKind.get(document.classification.k8sKind);
      if (ofKind === undefined) k8sByKind.set(document.classification.k8sKind, [document]);
      else ofKind.push(document);
    }
  }
  // Only Terraform documents hold jsonencode strings: their list, not the whole scan.
  const jsonencode = await buildJsonencodeCache(byKind.get('terraform') ?? []);
  const decode = (expression: string): unknown => jsonencode.get(expression);
  const trust: TrustPolicy[] = [];
  for (const document of byKind.get('aws-iam-policy') ?? [])
    trust.push(...iamTrustPolicies(document));
  for (const document of byKind.get('terraform') ?? []) {
    trust.push(...terraformTrustPolicies(document, decode));
  }
  const platform = new Set(config.platformNamespaces);
  const memo = new Map<string, unknown>();

  return {
    config,
    documents,
    byKind<K extends DocumentKind>(kind: K): readonly ScanDocumentOf<K>[] {
      return (byKind.get(kind) ?? []).filter((document): document is ScanDocumentOf<K> =>
        isKind(document, kind),
      );
    },
    k8sObjects: (k8sKind) => k8sByKind.get(k8sKind) ?? [],
    k8sObject: (k8sKind, namespace, name) => indexOfKind(k8sKind).get(k8sKey(namespace, name)),
    isPlatformNamespace: (namespace) => namespace !== null && platform.has(namespace),
    trustPolicies: () => trust,
    trustPoliciesForRole(roleArnOrName) {
      // Most scans hold no trust policy at all, and every annotated ServiceAccount asks.
      if (trust.length === 0) return trust;
      const wantedName = roleNameFromArn(roleArnOrName);
      return trust.filter((policy) =>
        policy.roleArn !== null
          ? policy.roleArn === roleArnOrName || roleNameFromArn(policy.roleArn) === wantedName
          : policy.roleName === wantedName,
      );
    },
    decodeJsonencode: decode,
    memo<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
}
