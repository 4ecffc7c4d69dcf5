/**
 * LNK-10 [ext]: Linkerd's inbound policy `all-unauthenticated` (its install default) or
 * `cluster-unauthenticated`, set as a workload's or namespace's default or as a Server's
 * `accessPolicy`, lets clients without a mesh identity connect in plaintext (INV-6).
 */
import { getAt, isKind } from '../document.ts';
import type { DocPath } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

const DEFAULT_POLICY = 'config.linkerd.io/default-inbound-policy';
const OPEN = new Set(['all-unauthenticated', 'cluster-unauthenticated']);

export const rule = defineRule({
  meta: {
    id: 'LNK-10',
    title: 'Inbound policy admits unauthenticated clients',
    invariants: ['INV-6'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['Namespace', 'Server', ...WORKLOAD_KINDS],
    message: 'A Linkerd inbound policy admits clients without a mesh identity.',
    fix: 'Use `deny` (or `all-authenticated`) and authorize clients by identity; only the external ingress may stay open, under a waiver.',
    docsAnchor: 'lnk-10',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const candidates: DocPath[] = [];
    const { k8sKind, family } = document.classification;
    if (k8sKind === 'Server' && family === 'linkerd') candidates.push(['spec', 'accessPolicy']);
    if (k8sKind === 'Namespace') candidates.push(['metadata', 'annotations', DEFAULT_POLICY]);
    const template = podTemplate(document);
    if (template !== undefined)
      candidates.push([...template.path, 'metadata', 'annotations', DEFAULT_POLICY]);
    const findings: RuleFinding[] = [];
    for (const path of candidates) {
      const value = getAt(document.value, path);
      if (typeof value !== 'string' || !OPEN.has(value)) continue;
      findings.push({
        path,
        message: `Inbound policy \`${value}\` admits clients without a mesh identity, in plaintext.`,
      });
    }
    return findings;
  },
});
