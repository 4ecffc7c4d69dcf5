/**
 * Reads the `sub` conditions of an AWS trust policy's web-identity statements: which subjects
 * may call `sts:AssumeRoleWithWebIdentity`, written exactly or as a `StringLike` glob.
 */
import { entriesOf, getAt, isObject } from '../../document.ts';

export interface SubjectTest {
  readonly value: string;
  /** A `StringLike` value with `*` or `?` admits more than one subject. */
  readonly glob: boolean;
}

export interface WebIdentityStatement {
  /** Empty when the statement does not test `sub` at all. */
  readonly subjects: readonly SubjectTest[];
}

function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as readonly unknown[]) : value === undefined ? [] : [value];
}

function allowsWebIdentity(statement: unknown): boolean {
  if (getAt(statement, ['Effect']) !== 'Allow') return false;
  return asList(getAt(statement, ['Action'])).some(
    (action) => action === 'sts:AssumeRoleWithWebIdentity' || action === 'sts:*' || action === '*',
  );
}

export function webIdentityStatements(policy: unknown): readonly WebIdentityStatement[] {
  return asList(getAt(policy, ['Statement']))
    .filter(allowsWebIdentity)
    .map((statement) => {
      const subjects: SubjectTest[] = [];
      for (const [operator, tests] of entriesOf(getAt(statement, ['Condition']))) {
        const like = /StringLike$/.test(operator);
        if (!like && !/StringEquals$/.test(operator)) continue;
        if (!isObject(tests)) continue;
        for (const [key, values] of Object.entries(tests)) {
          if (!key.endsWith(':sub')) continue;
          for (const value of asList(values)) {
            if (typeof value !== 'string') continue;
            subjects.push({ value, glob: like && /[*?]/.test(value) });
          }
        }
      }
      return { subjects };
    });
}
