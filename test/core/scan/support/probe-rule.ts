/** A rule for engine tests: reports a finding at every path its `find` callback returns. */
import type { DocPath, DocumentKind, ScanDocument } from '../../../../src/core/scan/document.ts';
import type { Rule } from '../../../../src/core/scan/rule.ts';
import type { Severity } from '../../../../src/core/scan/severity.ts';

const ALL_KINDS: readonly DocumentKind[] = [
  'k8s',
  'github-workflow',
  'github-action',
  'gitlab-ci',
  'aws-iam-policy',
  'terraform',
  'vault-policy',
  'vault-role',
  'vault-agent-config',
  'spire-config',
  'spire-entries',
  'spire-helm-values',
  'unknown',
];

export function probeRule(
  find: (document: ScanDocument) => readonly DocPath[],
  options: { id?: string; severity?: Severity } = {},
): Rule {
  return {
    meta: {
      id: options.id ?? 'TEST-01',
      title: 'Probe',
      invariants: ['INV-2'],
      severity: options.severity ?? 'high',
      appliesTo: ALL_KINDS,
      message: 'probe finding',
      fix: 'nothing to fix',
      docsAnchor: 'test-01',
    },
    check: (document) => find(document).map((path) => ({ path })),
  };
}
