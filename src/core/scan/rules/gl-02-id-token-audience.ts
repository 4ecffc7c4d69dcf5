/**
 * GL-02: an `id_tokens:` entry with no `aud`, or a token used for Vault whose `aud` no GitLab
 * JWT role in the scan binds (`bound_audiences`), so the login fails or the role accepts any
 * audience. Tokens for a cloud (`aud: sts.amazonaws.com`, …) are not compared with Vault roles.
 */
import { entriesOf, isObject, memoize } from '../document.ts';
import type { PlainObject } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { gitlabJobs, globalScriptLines, idTokensOf, scriptLines } from './support/gitlab-ci.ts';
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

/** Audiences of cloud token exchanges (AWS STS, GCP workload identity, Azure), never Vault's. */
const CLOUD_AUDIENCE = /sts\.amazonaws\.com|iam\.googleapis\.com|AzureADTokenExchange/i;

/** `$NAME` or `${NAME}` in a line, as GitLab expands CI/CD variables. */
function mentions(line: string, name: string): boolean {
  return line.includes(`$${name}`) || line.includes(`\${${name}}`);
}

/**
 * Names of the `id_tokens` the file hands to Vault: the `token:` of a job's `secrets:` that read
 * from Vault (or the job's only token, which GitLab then uses), and tokens a script line that
 * runs `vault` expands.
 */
const vaultTokenNames = memoize((file: PlainObject): ReadonlySet<string> => {
  const names = new Set<string>();
  const lines = [...globalScriptLines(file)];
  for (const job of gitlabJobs(file)) {
    lines.push(...scriptLines(job));
    const tokens = Object.keys(idTokensOf(file, job) ?? {});
    for (const [, secret] of entriesOf(job.job['secrets'])) {
      if (!isObject(secret) || secret['vault'] === undefined) continue;
      const token = secret['token'];
      if (typeof token === 'string') names.add(token.replace(/^\$\{?|\}$/g, ''));
      else if (tokens.length === 1 && tokens[0] !== undefined) names.add(tokens[0]);
    }
  }
  const requested = new Set<string>();
  for (const scope of [file['default'], ...gitlabJobs(file).map((job) => job.job)]) {
    if (isObject(scope)) for (const [name] of entriesOf(scope['id_tokens'])) requested.add(name);
  }
  for (const line of lines) {
    if (!/\bvault\b/i.test(line.line)) continue;
    for (const name of requested) if (mentions(line.line, name)) names.add(name);
  }
  return names;
});

/**
 * True when the token is for Vault, so its `aud` must be one a Vault role binds: the file hands
 * it to Vault, or, with no such use in sight, its name or audience says Vault and no cloud's.
 */
function isForVault(file: PlainObject, name: string, audiences: readonly string[]): boolean {
  if (vaultTokenNames(file).has(name)) return true;
  if (audiences.some((audience) => CLOUD_AUDIENCE.test(audience))) return false;
  return /vault/i.test(name) || audiences.some((audience) => /vault/i.test(audience));
}

export const rule = defineRule({
  meta: {
    id: 'GL-02',
    title: 'id_tokens audience missing or unbound',
    invariants: ['INV-5'],
    severity: 'high',
    appliesTo: ['gitlab-ci'],
    message:
      'An `id_tokens:` token has no `aud`, or a token for Vault has one no GitLab JWT role binds.',
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
        // A token for AWS, GCP or Azure answers to that cloud's trust, not to a Vault role.
        if (!isObject(document.value) || !isForVault(document.value, name, audiences)) continue;
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
