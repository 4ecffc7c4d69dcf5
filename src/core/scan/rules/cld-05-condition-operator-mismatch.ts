/**
 * CLD-05: a condition operator that does not do what its value suggests: a wildcard inside
 * `StringEquals` is compared literally (the statement silently never matches), and
 * `StringLike` without a wildcard is an equality written as a pattern.
 */
import { hasWildcard } from '../../policy/match.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { webIdentityTrusts } from './support/aws-trust.ts';

export const rule = defineRule({
  meta: {
    id: 'CLD-05',
    title: 'Condition operator does not match its value',
    invariants: [],
    severity: 'low',
    appliesTo: ['aws-iam-policy', 'terraform'],
    message: 'A trust condition uses an operator that does not match its value.',
    fix: 'Use `StringLike` for values with `*` or `?`, and `StringEquals` for exact values.',
    docsAnchor: 'cld-05',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    for (const trust of webIdentityTrusts(document, context)) {
      for (const statement of trust.statements) {
        for (const condition of statement.conditions) {
          const object = trust.object === undefined ? {} : { object: trust.object };
          if (condition.base === 'StringEquals') {
            const literal = condition.values.filter((value) =>
              hasWildcard(value, { questionMark: true }),
            );
            if (literal.length === 0) continue;
            findings.push({
              path: condition.path,
              message: `StringEquals compares ${literal.map((value) => JSON.stringify(value)).join(', ')} literally, so \`${condition.key}\` never matches a real token.`,
              ...object,
            });
          } else if (condition.base === 'StringLike') {
            if (condition.values.some((value) => hasWildcard(value, { questionMark: true })))
              continue;
            if (condition.values.length === 0) continue;
            findings.push({
              path: condition.path,
              message: `StringLike on \`${condition.key}\` has no wildcard; write it as StringEquals.`,
              ...object,
            });
          }
        }
      }
    }
    return findings;
  },
});
