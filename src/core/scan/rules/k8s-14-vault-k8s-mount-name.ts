/**
 * K8S-14: INV-4 gives every cluster its own Kubernetes-auth mount, `auth/kubernetes-<cluster>`,
 * so a token from one cluster cannot log in through another cluster's reviewer. The bare
 * `auth/kubernetes` (Vault's default, and the default of Vault Agent, the agent injector and
 * ESO when no path is given) is the common miss. Tekton steps are read in every task spec a
 * Task, TaskRun, Pipeline or PipelineRun writes (the catalogue's TKN-03).
 */
import { getAt, isKind, isObject, stringAt } from '../document.ts';
import type { DocPath, K8sDocument, ScanDocument } from '../document.ts';
import { containersOf, podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { dataEntries } from './support/secret-data.ts';
import { stepsOf, taskSpecs } from './support/tekton.ts';
import { agentMethods, agentMethodsInText, isAgentConfigText } from './support/vault-agent.ts';
import { expectedMount, isClusterMount, mountName } from './support/vault-k8s-mount.ts';

const INJECT = 'vault.hashicorp.com/agent-inject';
const AUTH_PATH = 'vault.hashicorp.com/auth-path';

/** Kubernetes-auth mounts named in shell text: login URLs and `vault login -method=kubernetes`. */
function mountsInScript(text: string): readonly string[] {
  // Both patterns need `login`, which most ConfigMap values and container args never say.
  if (!text.includes('login')) return [];
  const found: string[] = [];
  for (const match of text.matchAll(/\bauth\/(kubernetes[\w.-]*)\/login\b/g)) {
    found.push(match[1] ?? '');
  }
  for (const match of text.matchAll(/\bvault\s+login\b[^\n]*-method[= ]kubernetes\b[^\n]*/g)) {
    const custom = /-path[= ]["']?([\w./-]+)/.exec(match[0]);
    found.push(custom?.[1] ?? 'kubernetes');
  }
  return found;
}

function finding(path: DocPath, mount: string, where: string, context: ScanContext): RuleFinding {
  return {
    path,
    message: `${where} uses the Vault Kubernetes-auth mount \`auth/${mountName(mount)}\`, not the per-cluster ${expectedMount(context.config)}.`,
  };
}

function checkAgentText(text: string, path: DocPath, context: ScanContext): RuleFinding[] {
  return agentMethodsInText(text)
    .filter((method) => method.type === 'kubernetes')
    .map((method) => method.mountPath ?? 'auth/kubernetes')
    .filter((mount) => !isClusterMount(mount, context.config))
    .map((mount) => finding(path, mount, 'Vault Agent', context));
}

/** Tekton steps, sidecars and step templates, in every task spec the document writes. */
function checkScripts(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const task of taskSpecs(document)) {
    for (const { path, step, name } of stepsOf(task)) {
      const texts: [DocPath, string][] = [];
      if (typeof step['script'] === 'string') texts.push([[...path, 'script'], step['script']]);
      for (const field of ['command', 'args']) {
        const list = step[field];
        if (!Array.isArray(list)) continue;
        const text = (list as readonly unknown[]).filter((item) => typeof item === 'string');
        texts.push([[...path, field], text.join(' ')]);
      }
      for (const [where, text] of texts) {
        for (const mount of mountsInScript(text)) {
          if (isClusterMount(mount, context.config)) continue;
          findings.push(finding(where, mount, `${task.label}: step \`${name}\``, context));
        }
      }
    }
  }
  return findings;
}

function checkWorkload(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const template = podTemplate(document);
  if (template === undefined) return [];
  const findings: RuleFinding[] = [];
  const annotations = template.metadata['annotations'];
  if (isObject(annotations) && annotations[INJECT] === 'true') {
    const annotationsPath: DocPath = [...template.path, 'metadata', 'annotations'];
    const authPath = annotations[AUTH_PATH];
    const mount = typeof authPath === 'string' ? authPath : 'auth/kubernetes';
    if (!isClusterMount(mount, context.config)) {
      findings.push(
        finding(
          typeof authPath === 'string'
            ? [...annotationsPath, AUTH_PATH]
            : [...annotationsPath, INJECT],
          mount,
          typeof authPath === 'string'
            ? 'The Vault Agent injector'
            : 'The Vault Agent injector (no `auth-path`, so its default)',
          context,
        ),
      );
    }
  }
  for (const container of containersOf(template)) {
    for (const field of ['command', 'args'] as const) {
      const list = container.container[field];
      if (!Array.isArray(list)) continue;
      const text = (list as readonly unknown[])
        .filter((item) => typeof item === 'string')
        .join(' ');
      for (const mount of mountsInScript(text)) {
        if (isClusterMount(mount, context.config)) continue;
        findings.push(
          finding([...container.path, field], mount, `Container \`${container.name}\``, context),
        );
      }
    }
  }
  return findings;
}

function checkStore(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const auth = getAt(document.value, ['spec', 'provider', 'vault', 'auth', 'kubernetes']);
  if (!isObject(auth)) return [];
  const written = stringAt(auth, ['mountPath']);
  const mount = written ?? 'kubernetes';
  if (isClusterMount(mount, context.config)) return [];
  const path: DocPath = ['spec', 'provider', 'vault', 'auth', 'kubernetes'];
  return [
    finding(
      written === undefined ? path : [...path, 'mountPath'],
      mount,
      written === undefined
        ? 'The secret store (no `mountPath`, so its default)'
        : 'The secret store',
      context,
    ),
  ];
}

function check(document: ScanDocument, context: ScanContext): readonly RuleFinding[] {
  if (!isKind(document, 'k8s')) {
    return agentMethods(document.value)
      .filter((method) => method.type === 'kubernetes')
      .filter((method) => !isClusterMount(method.mountPath ?? 'auth/kubernetes', context.config))
      .map((method) =>
        finding(
          method.mountPathPath ?? method.typePath,
          method.mountPath ?? 'auth/kubernetes',
          'Vault Agent',
          context,
        ),
      );
  }
  const { k8sKind, family } = document.classification;
  if (k8sKind === 'ConfigMap') {
    return dataEntries(document).flatMap((entry) =>
      isAgentConfigText(entry.text)
        ? checkAgentText(entry.text, entry.path, context)
        : mountsInScript(entry.text)
            .filter((mount) => !isClusterMount(mount, context.config))
            .map((mount) => finding(entry.path, mount, `ConfigMap key \`${entry.key}\``, context)),
    );
  }
  if (family === 'external-secrets') return checkStore(document, context);
  if (family === 'tekton') return checkScripts(document, context);
  return checkWorkload(document, context);
}

export const rule = defineRule({
  meta: {
    id: 'K8S-14',
    title: 'Vault Kubernetes auth mount not per cluster',
    invariants: ['INV-4'],
    severity: 'low',
    appliesTo: ['k8s', 'vault-agent-config'],
    k8sKinds: [
      ...WORKLOAD_KINDS,
      'ConfigMap',
      'SecretStore',
      'ClusterSecretStore',
      'Task',
      'ClusterTask',
      'TaskRun',
      'Pipeline',
      'PipelineRun',
    ],
    message: 'Vault Kubernetes auth goes through a mount that is not named after its cluster.',
    fix: "Log in through the cluster's own mount, `auth/kubernetes-<cluster>`, configured with this cluster's API host, CA and issuer.",
    docsAnchor: 'k8s-14',
    covers: ['TKN-03'],
  },
  check,
});
