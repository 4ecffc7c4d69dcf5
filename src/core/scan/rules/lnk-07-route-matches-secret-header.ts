/**
 * LNK-07: an HTTPRoute that matches a literal value of an `Authorization`, token, secret or
 * key header puts that shared secret in the manifest, and turns it into the access control
 * instead of the caller's mesh identity (the RFC's own `x-admin-token` example, §11.4.1).
 */
import { arrayAt, isKind, isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

const SECRET_HEADER = /authorization|token|secret|key|password|cookie/i;

export const rule = defineRule({
  meta: {
    id: 'LNK-07',
    title: 'Route matches a literal secret header',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['HTTPRoute', 'GRPCRoute'],
    message:
      'The route matches a literal value of a credential header, committing a shared secret to Git.',
    fix: 'Remove the header match and authorize the caller by mesh identity with an AuthorizationPolicy and MeshTLSAuthentication; rotate the exposed value.',
    docsAnchor: 'lnk-07',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const { family } = document.classification;
    if (family !== 'linkerd' && family !== 'gateway') return [];
    const findings: RuleFinding[] = [];
    arrayAt(document.value, ['spec', 'rules']).forEach((rule, ruleIndex) => {
      arrayAt(rule, ['matches']).forEach((match, matchIndex) => {
        arrayAt(match, ['headers']).forEach((header, headerIndex) => {
          if (!isObject(header)) return;
          const name = header['name'];
          const value = header['value'];
          if (typeof name !== 'string' || !SECRET_HEADER.test(name)) return;
          if (typeof value !== 'string' || value.trim() === '') return;
          findings.push({
            path: [
              'spec',
              'rules',
              ruleIndex,
              'matches',
              matchIndex,
              'headers',
              headerIndex,
              'value',
            ],
            message: `The route matches header \`${name}\` against a literal value, a shared secret committed to Git.`,
          });
        });
      });
    });
    return findings;
  },
});
