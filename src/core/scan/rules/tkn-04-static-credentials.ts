/**
 * TKN-04: a Tekton step reads static cloud or Vault credentials from a Secret
 * (`env[].valueFrom.secretKeyRef`, `envFrom[].secretRef` of a Secret holding such keys), or a
 * run binds a workspace to such a Secret. Tekton runs in a cluster that can attest its pods;
 * projected tokens replace the keys.
 */
import { arrayAt, entriesOf, getAt, isKind, isObject } from '../document.ts';
import type { DocPath, K8sDocument } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { stepsOf, taskSpecs } from './support/tekton.ts';

const CREDENTIAL_ENV = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'VAULT_TOKEN',
  'AZURE_CLIENT_SECRET',
  'ARM_CLIENT_SECRET',
  'GOOGLE_CREDENTIALS',
]);
const CREDENTIAL_KEY =
  /aws_secret_access_key|secret[-_]?access[-_]?key|vault[-_]?token|client[-_]?secret|service[-_]?account[-_]?key|sa[-_]?key|credentials\.json|^key\.json$/i;

/** Keys of a Secret in the scan that look like static credentials. */
function credentialKeys(
  context: ScanContext,
  namespace: string | null,
  name: string,
): readonly string[] {
  const secret = context.k8sObject('Secret', namespace, name);
  if (secret === undefined) return [];
  const keys = [
    ...entriesOf(getAt(secret.value, ['data'])),
    ...entriesOf(getAt(secret.value, ['stringData'])),
  ].map(([key]) => key);
  return keys.filter((key) => CREDENTIAL_ENV.has(key) || CREDENTIAL_KEY.test(key));
}

function workspaceFindings(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const namespace = document.classification.namespace;
  arrayAt(document.value, ['spec', 'workspaces']).forEach((workspace, index) => {
    const secretName = getAt(workspace, ['secret', 'secretName']);
    if (typeof secretName !== 'string') return;
    const keys = credentialKeys(context, namespace, secretName);
    if (keys.length === 0) return;
    const path: DocPath = ['spec', 'workspaces', index, 'secret', 'secretName'];
    findings.push({
      path,
      message: `Workspace binds Secret ${secretName}, which holds static credentials (${keys.join(', ')}).`,
    });
  });
  return findings;
}

export const rule = defineRule({
  meta: {
    id: 'TKN-04',
    title: 'Tekton step reads static cloud or Vault credentials',
    invariants: ['INV-2', 'INV-5'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['Task', 'ClusterTask', 'TaskRun', 'Pipeline', 'PipelineRun'],
    message: 'A Tekton step receives static cloud or Vault credentials from a Secret.',
    fix: 'Project a service-account token (`audience: vault` or the cloud audience) and exchange it, then delete the Secret and revoke its keys.',
    docsAnchor: 'tkn-04',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    const findings: RuleFinding[] = [];
    const namespace = document.classification.namespace;
    for (const task of taskSpecs(document)) {
      for (const { step, path, name } of stepsOf(task)) {
        arrayAt(step, ['env']).forEach((env, index) => {
          if (!isObject(env)) return;
          const ref = getAt(env, ['valueFrom', 'secretKeyRef']);
          if (!isObject(ref)) return;
          const envName = typeof env['name'] === 'string' ? env['name'] : '';
          const key = typeof ref['key'] === 'string' ? ref['key'] : '';
          if (!CREDENTIAL_ENV.has(envName) && !CREDENTIAL_KEY.test(key)) return;
          findings.push({
            path: [...path, 'env', index, 'valueFrom', 'secretKeyRef'],
            message: `Step ${name} of ${task.label} reads ${envName || key} from Secret ${String(ref['name'])}.`,
          });
        });
        arrayAt(step, ['envFrom']).forEach((source, index) => {
          const secretName = getAt(source, ['secretRef', 'name']);
          if (typeof secretName !== 'string') return;
          const keys = credentialKeys(context, namespace, secretName);
          if (keys.length === 0) return;
          findings.push({
            path: [...path, 'envFrom', index, 'secretRef'],
            message: `Step ${name} of ${task.label} loads Secret ${secretName}, which holds static credentials (${keys.join(', ')}).`,
          });
        });
      }
    }
    const kind = document.classification.k8sKind;
    if (kind === 'TaskRun' || kind === 'PipelineRun')
      findings.push(...workspaceFindings(document, context));
    return findings;
  },
});
