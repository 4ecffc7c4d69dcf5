/**
 * GL-02: an `id_tokens:` entry with no `aud`, or with an `aud` that no GitLab JWT role in the
 * scan binds (`bound_audiences`), so the login fails or the role accepts any audience.
 */
import { entriesOf, isObject } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { gitlabJobs } from './support/gitlab-ci.ts';
import { jwtFamily, listValue, roleField, vaultRoles } from './support/vault-roles.ts';
import { perScan } from './support/per-scan.ts';

/** Audiences bound by the GitLab JWT roles found anywhere in the scan. */
function gitlabRoleAudiences(context: ScanContext): ReadonlySet<string> {
  const audiences = new Set<string>();
  for (const document of context.documents) {
    for (const role of vaultRoles(document)) {
      if (role.type !== 'jwt' || jwtFamily(role) !== 'gitlab') continue;
      for (const audience of listValue(roleField(role, 'bound_audiences')?.value)) {
        audiences.add(audience);
      }
    }
  }
  return audiences;
}

export const rule = defineRule({
  meta: {
    id: 'GL-02',
    title: 'id_tokens audience missing or unbound',
    invariants: ['INV-5'],
    severity: 'high',
    appliesTo: ['gitlab-ci'],
    message: 'An `id_tokens:` token has no `aud`, or one no GitLab JWT role binds.',
    fix: "Set `aud` to the audience the target binds (e.g. `https://vault.example.com` in the Vault role's `bound_audiences`), and keep the two equal.",
    docsAnchor: 'gl-02',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    let bound: ReadonlySet<string> | undefined;
    const scopes = [
      ...gitlabJobs(document.value).map((job) => ({
        path: [...job.path, 'id_tokens'],
        owner: job.job,
        object: job.object,
      })),
      ...(isObject(document.value) && isObject(document.value['default'])
        ? [{ path: ['default', 'id_tokens'], owner: document.value['default'], object: undefined }]
        : []),
    ];
    for (const scope of scopes) {
      for (const [name, token] of entriesOf(scope.owner['id_tokens'])) {
        const aud = isObject(token) ? token['aud'] : undefined;
        const audiences = listValue(aud);
        const object = scope.object === undefined ? {} : { object: scope.object };
        if (audiences.length === 0) {
          findings.push({
            path: [...scope.path, name],
            message: `id_tokens.${name} has no \`aud\`; Vault and cloud roles cannot tell its audience.`,
            ...object,
          });
          continue;
        }
        bound ??= perScan(context, gitlabRoleAudiences);
        if (bound.size === 0) continue;
        const unbound = audiences.filter(
          (audience) => !audience.includes('$') && !bound?.has(audience),
        );
        if (unbound.length === 0) continue;
        findings.push({
          path: [...scope.path, name, 'aud'],
          message: `id_tokens.${name} requests aud ${unbound.join(', ')}, which no GitLab JWT role in this scan binds.`,
          ...object,
        });
      }
    }
    return findings;
  },
});
