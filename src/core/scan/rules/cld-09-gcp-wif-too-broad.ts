/**
 * CLD-09: GCP Workload Identity Federation open wider than one repository: a CI provider (GitHub,
 * GitLab) with no `attribute_condition`, so any repository on the platform can exchange a token
 * in the pool; or an IAM binding to a `principalSet://` covering the whole pool or a whole
 * organisation (`attribute.repository_owner/<org>`, `attribute.namespace_path/<group>`),
 * whether granted by an `_iam_member`/`_iam_binding` or in a `data "google_iam_policy"` binding.
 */
import type { DocPath, PlainObject } from '../document.ts';
import { getAt } from '../document.ts';
import type { ObjectRef, RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { nestedBlocks, terraformBlocks } from './support/terraform.ts';

const CI_ISSUER = /^https:\/\/(?:token\.actions\.githubusercontent\.com|gitlab\.com)\/?/;
/** Attributes that name an owner rather than one repository. */
const ORG_ATTRIBUTE =
  /\/attribute\.(repository_owner|repository_owner_id|namespace_path|namespace_id)\/[^/]+$/;
const WHOLE_POOL = /^principalSet:\/\/iam\.googleapis\.com\/.+\/workloadIdentityPools\/[^/]+\/\*$/;

const BINDINGS = [
  'google_service_account_iam_member',
  'google_service_account_iam_binding',
  'google_project_iam_member',
  'google_project_iam_binding',
  'google_storage_bucket_iam_member',
  'google_secret_manager_secret_iam_member',
];

export const rule = defineRule({
  meta: {
    id: 'CLD-09',
    title: 'GCP Workload Identity Federation open to an organisation',
    invariants: ['INV-7'],
    severity: 'medium',
    appliesTo: ['terraform'],
    message: 'Workload Identity Federation accepts more than the intended repository.',
    fix: 'Set `attribute_condition` on the provider (e.g. `assertion.repository == "<org>/<repo>"`) and bind `principalSet://…/attribute.repository/<org>/<repo>` rather than an owner or the whole pool.',
    docsAnchor: 'cld-09',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const block of terraformBlocks(document.value, [
      'google_iam_workload_identity_pool_provider',
    ])) {
      const oidc = nestedBlocks(block.body, block.path, 'oidc')[0];
      const issuer = getAt(oidc?.body, ['issuer_uri']);
      if (typeof issuer !== 'string' || !CI_ISSUER.test(issuer)) continue;
      const condition = block.body['attribute_condition'];
      if (typeof condition === 'string' && condition.trim() !== '') continue;
      findings.push({
        path: oidc === undefined ? block.path : [...oidc.path, 'issuer_uri'],
        severity: 'high',
        message: `Provider ${block.name} trusts ${issuer} with no attribute_condition, so any repository there can use the pool.`,
        object: block.object,
      });
    }
    const judge = (member: unknown, path: DocPath, object: ObjectRef): void => {
      if (typeof member !== 'string') return;
      const text = member.replace(/\$\{[^}]*\}/g, 'x');
      if (WHOLE_POOL.test(text)) {
        findings.push({
          path,
          severity: 'high',
          message: `${object.name} grants every identity of the workload identity pool (\`/*\`).`,
          object,
        });
      } else if (text.startsWith('principalSet://') && ORG_ATTRIBUTE.test(text)) {
        const attribute = ORG_ATTRIBUTE.exec(text)?.[1] ?? 'owner';
        findings.push({
          path,
          message: `${object.name} grants every repository under one ${attribute}, not one repository.`,
          object,
        });
      }
    };
    const judgeMembers = (body: PlainObject, path: DocPath, object: ObjectRef): void => {
      judge(body['member'], [...path, 'member'], object);
      const members = body['members'];
      if (Array.isArray(members)) {
        for (const member of members as readonly unknown[])
          judge(member, [...path, 'members'], object);
      }
    };
    for (const block of terraformBlocks(document.value, BINDINGS)) {
      judgeMembers(block.body, block.path, block.object);
    }
    // Authoritative policies (`google_*_iam_policy`) take their bindings from this data source.
    for (const block of terraformBlocks(document.value, ['google_iam_policy'], 'data')) {
      for (const binding of nestedBlocks(block.body, block.path, 'binding')) {
        judgeMembers(binding.body, binding.path, block.object);
      }
    }
    return findings;
  },
});
