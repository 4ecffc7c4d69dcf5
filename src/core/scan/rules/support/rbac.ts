/**
 * Reading RBAC objects: the rules of a Role or ClusterRole with their paths, what a rule
 * grants (wildcards included), and the bindings and subjects of a role across the scan.
 */
import { arrayAt, isObject, memoize, stringAt } from '../../document.ts';
import type { DocPath, K8sDocument, PlainObject } from '../../document.ts';
import type { ScanContext } from '../../rule.ts';
import { groupBy } from './group-by.ts';
import { perScan } from './per-scan.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface PolicyRuleRef {
  readonly path: DocPath;
  readonly rule: PlainObject;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** The strings of a list field. Own keys only, as `arrayAt` reads them; no callback per item. */
function strings(value: PlainObject, field: string): readonly string[] {
  const list = Object.hasOwn(value, field) ? value[field] : undefined;
  const found: string[] = [];
  if (!Array.isArray(list)) return found;
  for (let index = 0; index < list.length; index += 1) {
    const item: unknown = list[index];
    if (typeof item === 'string') found.push(item);
  }
  return found;
}

export const policyRules: (document: K8sDocument) => readonly PolicyRuleRef[] =
  memoize(policyRulesOf);

function policyRulesOf(document: K8sDocument): readonly PolicyRuleRef[] {
  const found: PolicyRuleRef[] = [];
  const rules = arrayAt(document.value, ['rules']);
  for (let index = 0; index < rules.length; index += 1) {
    const rule = rules[index];
    if (!isObject(rule)) continue;
    found.push({
      path: ['rules', index],
      rule,
      apiGroups: strings(rule, 'apiGroups'),
      resources: strings(rule, 'resources'),
      verbs: strings(rule, 'verbs'),
    });
  }
  return found;
}

export function coversGroup(rule: PolicyRuleRef, group: string): boolean {
  return rule.apiGroups.includes('*') || rule.apiGroups.includes(group);
}

/** True when the rule names `resource` (or its subresources are not the point: exact match). */
export function coversResource(rule: PolicyRuleRef, resource: string): boolean {
  return rule.resources.includes('*') || rule.resources.includes(resource);
}

export function grantsVerb(rule: PolicyRuleRef, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

/** Index of the verb in `verbs` that grants `verb`, for pointing at it. */
export function verbIndex(rule: PolicyRuleRef, verb: string): number {
  const exact = rule.verbs.indexOf(verb);
  return exact >= 0 ? exact : rule.verbs.indexOf('*');
}

export function isClusterAdminLike(rule: PolicyRuleRef): boolean {
  return rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.verbs.includes('*');
}

export interface SubjectRef {
  readonly path: DocPath;
  readonly kind: string;
  readonly name: string;
  /** For ServiceAccounts: the subject's namespace, defaulting to a RoleBinding's own. */
  readonly namespace: string | null;
}

export const subjectsOf: (binding: K8sDocument) => readonly SubjectRef[] = memoize(subjectsIn);

function subjectsIn(binding: K8sDocument): readonly SubjectRef[] {
  const found: SubjectRef[] = [];
  const subjects = arrayAt(binding.value, ['subjects']);
  for (let index = 0; index < subjects.length; index += 1) {
    const subject = subjects[index];
    if (!isObject(subject)) continue;
    const kind = subject['kind'];
    const name = subject['name'];
    if (typeof kind !== 'string' || typeof name !== 'string') continue;
    const namespace = subject['namespace'];
    found.push({
      path: ['subjects', index],
      kind,
      name,
      namespace:
        typeof namespace === 'string'
          ? namespace
          : binding.classification.k8sKind === 'RoleBinding'
            ? binding.classification.namespace
            : null,
    });
  }
  return found;
}

export function roleRefOf(
  binding: K8sDocument,
): { readonly kind: string; readonly name: string } | undefined {
  const kind = stringAt(binding.value, ['roleRef', 'kind']);
  const name = stringAt(binding.value, ['roleRef', 'name']);
  return kind === undefined || name === undefined ? undefined : { kind, name };
}

function roleKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function bindingsByRole(context: ScanContext): Map<string, K8sDocument[]> {
  return groupBy(
    ['RoleBinding', 'ClusterRoleBinding'].flatMap((kind) => context.k8sObjects(kind)),
    (binding) => {
      const ref = roleRefOf(binding);
      if (ref === undefined) return undefined;
      // A RoleBinding can grant a Role of its own namespace only.
      const scope = ref.kind === 'Role' ? (binding.classification.namespace ?? '') : '';
      return roleKey(ref.kind, scope, ref.name);
    },
  );
}

/** RoleBindings and ClusterRoleBindings of the scan that grant `role`. */
export function bindingsOf(context: ScanContext, role: K8sDocument): readonly K8sDocument[] {
  const { k8sKind, name, namespace } = role.classification;
  const scope = k8sKind === 'Role' ? (namespace ?? '') : '';
  return perScan(context, bindingsByRole).get(roleKey(k8sKind, scope, name)) ?? [];
}

/** Kubernetes' own bootstrap roles and bindings (`system:…`) are not this repository's. */
export function isSystemName(name: string): boolean {
  return name.startsWith('system:');
}
