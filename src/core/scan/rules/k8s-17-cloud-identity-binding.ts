/**
 * K8S-17: a ServiceAccount annotated for IRSA (`eks.amazonaws.com/role-arn`) or GKE workload
 * identity (`iam.gke.io/gcp-service-account`) must be the only subject the cloud side trusts:
 * the role's trust policy pins `sub` to `system:serviceaccount:<ns>:<sa>`, and the Google
 * service account grants `roles/iam.workloadIdentityUser` to `<pool>[<ns>/<sa>]` only. The
 * rule needs the cloud side in the same scan; without it there is nothing to compare. A
 * Terraform trust whose conditions come from a computed `dynamic "condition"` is reported low,
 * as unverifiable, rather than as trusting every ServiceAccount.
 */
import { arrayAt, entriesOf, getAt, isKind, isObject, stringAt } from '../document.ts';
import type { DocPath, K8sDocument } from '../document.ts';
import { annotation } from '../k8s.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { subjectTests, webIdentityStatementsOf } from './support/aws-trust.ts';

const IRSA = 'eks.amazonaws.com/role-arn';
const GKE = 'iam.gke.io/gcp-service-account';

function expectedSubject(document: K8sDocument): string {
  const { namespace, name } = document.classification;
  return `system:serviceaccount:${namespace ?? '<namespace>'}:${name}`;
}

function checkIrsa(document: K8sDocument, context: ScanContext, roleArn: string): RuleFinding[] {
  const policies = context.trustPoliciesForRole(roleArn);
  if (policies.length === 0) return [];
  const path: DocPath = ['metadata', 'annotations', IRSA];
  const expected = expectedSubject(document);
  // The `sub` values each web-identity statement admits; empty when it does not test `sub`.
  const statements = policies.flatMap((trust) =>
    webIdentityStatementsOf(trust.policy).map(subjectTests),
  );
  const where = policies[0]?.document.file ?? 'the scan';
  if (statements.length === 0) {
    return [
      {
        path,
        message: `Role \`${roleArn}\` (${where}) has no web-identity trust statement, so this ServiceAccount cannot assume it.`,
      },
    ];
  }
  const unpinned = statements.find((subjects) => subjects.length === 0);
  const computed = policies.find((trust) => (trust.unresolvedConditions?.length ?? 0) > 0);
  if (unpinned !== undefined && computed !== undefined) {
    // The `sub` test may be among the conditions Terraform generates at plan time.
    return [
      {
        path,
        severity: 'low',
        message: `Role \`${roleArn}\` (${computed.document.file}) takes conditions from a \`dynamic "condition"\` block with a computed \`for_each\`; the scanner cannot verify statically that it pins \`sub\` to \`${expected}\`.`,
      },
    ];
  }
  if (unpinned !== undefined) {
    return [
      {
        path,
        message: `Role \`${roleArn}\` (${where}) trusts web identities without a \`sub\` condition, so any ServiceAccount of the cluster can assume it.`,
      },
    ];
  }
  const glob = statements.flat().find((subject) => subject.glob);
  if (glob !== undefined) {
    return [
      {
        path,
        message: `Role \`${roleArn}\` (${where}) trusts \`sub\` \`${glob.value}\`, a pattern wider than \`${expected}\`.`,
      },
    ];
  }
  const exact = statements.flat().map((subject) => subject.value);
  const own = (value: string): boolean =>
    document.classification.namespace === null
      ? value.endsWith(`:${document.classification.name}`)
      : value === expected;
  const others = exact.filter((value) => !own(value));
  if (others.length === 0) return [];
  if (others.length < exact.length) {
    return [
      {
        path,
        message: `Role \`${roleArn}\` (${where}) also trusts ${others.map((value) => `\`${value}\``).join(', ')}, so this ServiceAccount shares its cloud identity.`,
      },
    ];
  }
  return [
    {
      path,
      message: `Role \`${roleArn}\` (${where}) trusts \`sub\` ${exact.map((value) => `\`${value}\``).join(', ')}, not this ServiceAccount (\`${expected}\`).`,
    },
  ];
}

interface GkeBinding {
  readonly file: string;
  readonly members: readonly string[];
}

/** Terraform `google_service_account_iam_member`/`_binding` grants of workloadIdentityUser. */
function gkeBindings(context: ScanContext, email: string): readonly GkeBinding[] {
  const accountId = email.split('@')[0] ?? email;
  const found: GkeBinding[] = [];
  for (const document of context.byKind('terraform')) {
    const resources = getAt(document.value, ['resource']);
    const accounts = getAt(resources, ['google_service_account']);
    const namesAccount = (reference: string): boolean => {
      if (reference.includes(email)) return true;
      const label = /\$\{google_service_account\.([\w-]+)\.(?:name|id|email)\}/.exec(
        reference,
      )?.[1];
      return label !== undefined && stringAt(accounts, [label, 0, 'account_id']) === accountId;
    };
    for (const type of [
      'google_service_account_iam_member',
      'google_service_account_iam_binding',
    ]) {
      for (const [, blocks] of entriesOf(getAt(resources, [type]))) {
        for (const block of Array.isArray(blocks) ? (blocks as readonly unknown[]) : []) {
          if (!isObject(block) || block['role'] !== 'roles/iam.workloadIdentityUser') continue;
          const reference = block['service_account_id'];
          if (typeof reference !== 'string' || !namesAccount(reference)) continue;
          const members = [block['member'], ...arrayAt(block, ['members'])].filter(
            (member): member is string => typeof member === 'string',
          );
          found.push({ file: document.file, members });
        }
      }
    }
  }
  return found;
}

const GKE_MEMBER = /^serviceAccount:[^[\]]+\.svc\.id\.goog\[([^/\]]+)\/([^\]]+)\]$/;

function checkGke(document: K8sDocument, context: ScanContext, email: string): RuleFinding[] {
  const bindings = gkeBindings(context, email);
  if (bindings.length === 0) return [];
  const path: DocPath = ['metadata', 'annotations', GKE];
  const { namespace, name } = document.classification;
  const members = bindings.flatMap((binding) => binding.members);
  const broad = members.find(
    (member) => member.startsWith('principalSet://') || /\[[^\]]*\*/.test(member),
  );
  if (broad !== undefined) {
    return [
      {
        path,
        message: `Google service account \`${email}\` grants workloadIdentityUser to \`${broad}\`, a set wider than this ServiceAccount.`,
      },
    ];
  }
  const own = members.some((member) => {
    const match = GKE_MEMBER.exec(member);
    return match !== null && match[2] === name && (namespace === null || match[1] === namespace);
  });
  if (own) return [];
  return [
    {
      path,
      message: `Google service account \`${email}\` grants workloadIdentityUser to ${members.map((member) => `\`${member}\``).join(', ')}, not to \`[${namespace ?? '<namespace>'}/${name}]\`.`,
    },
  ];
}

export const rule = defineRule({
  meta: {
    id: 'K8S-17',
    title: 'Cloud role not bound to this ServiceAccount',
    invariants: ['INV-5', 'INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['ServiceAccount'],
    message:
      'The cloud identity this ServiceAccount is annotated with does not trust exactly this ServiceAccount.',
    fix: "Pin the role's trust condition to `sub` = `system:serviceaccount:<ns>:<sa>` with StringEquals, or grant workloadIdentityUser only to `<project>.svc.id.goog[<ns>/<sa>]`.",
    docsAnchor: 'k8s-17',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    const findings: RuleFinding[] = [];
    const roleArn = annotation(document, IRSA);
    if (roleArn !== undefined && roleArn !== '')
      findings.push(...checkIrsa(document, context, roleArn));
    const email = annotation(document, GKE);
    if (email !== undefined && email !== '') findings.push(...checkGke(document, context, email));
    return findings;
  },
});
