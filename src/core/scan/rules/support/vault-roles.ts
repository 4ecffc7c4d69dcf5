/**
 * Vault auth roles and mounts, from the two places they are written down: role payloads
 * (`vault read -format=json auth/<mount>/role/<name>`, or the JSON a pipeline writes) and
 * Terraform `vault_*` resources. Each role carries its fields and their paths.
 */
import { isObject } from '../../document.ts';
import type { DocPath, PlainObject, ScanDocument } from '../../document.ts';
import type { ObjectRef } from '../../rule.ts';
import { terraformBlocks } from './terraform.ts';

export type VaultRoleType = 'kubernetes' | 'jwt' | 'approle' | 'token';

export interface VaultRole {
  readonly type: VaultRoleType;
  /** `role_name`, else the Terraform resource name, else the file's base name. */
  readonly name: string;
  /** The auth mount (`backend` in Terraform, or `auth/<mount>/` in the file path), when known. */
  readonly mount: string | undefined;
  readonly path: DocPath;
  readonly fields: PlainObject;
  readonly object: ObjectRef;
}

export interface RoleField {
  readonly key: string;
  readonly value: unknown;
  readonly path: DocPath;
}

const TERRAFORM_ROLE_TYPES: Readonly<Record<string, VaultRoleType>> = {
  vault_kubernetes_auth_backend_role: 'kubernetes',
  vault_jwt_auth_backend_role: 'jwt',
  vault_approle_auth_backend_role: 'approle',
  vault_token_auth_backend_role: 'token',
};

function typeOfPayload(fields: PlainObject): VaultRoleType | undefined {
  const has = (...keys: string[]): boolean => keys.some((key) => key in fields);
  if (has('bound_service_account_names', 'bound_service_account_namespaces')) return 'kubernetes';
  if (has('secret_id_num_uses', 'secret_id_ttl', 'bind_secret_id', 'secret_id_bound_cidrs')) {
    return 'approle';
  }
  if (has('role_type', 'bound_audiences', 'bound_claims', 'user_claim', 'bound_subject')) {
    return 'jwt';
  }
  if (has('allowed_policies', 'orphan', 'token_period', 'period')) return 'token';
  return undefined;
}

/** `auth/<mount>/role/…` in a file path names the mount the payload is written to. */
function mountFromFile(file: string): string | undefined {
  return /(?:^|\/)auth\/([^/]+)\/role\//.exec(file)?.[1];
}

function baseName(file: string): string {
  return (file.split('/').pop() ?? file).replace(/\.[^.]+$/, '');
}

export function vaultRoles(document: ScanDocument): readonly VaultRole[] {
  const kind = document.classification.kind;
  if (kind === 'vault-role') {
    const value = document.value;
    const wrapped = isObject(value) && isObject(value['data']);
    const fields = wrapped && isObject(value) ? (value['data'] as PlainObject) : value;
    if (!isObject(fields)) return [];
    const type = typeOfPayload(fields);
    if (type === undefined) return [];
    const name =
      typeof fields['role_name'] === 'string' ? fields['role_name'] : baseName(document.file);
    return [
      {
        type,
        name,
        mount: mountFromFile(document.file),
        path: wrapped ? ['data'] : [],
        fields,
        object: { kind: `vault ${type} role`, name, namespace: null },
      },
    ];
  }
  if (kind !== 'terraform') return [];
  return terraformBlocks(document.value, Object.keys(TERRAFORM_ROLE_TYPES)).map((block) => {
    const backend = block.body['backend'];
    const roleName = block.body['role_name'];
    return {
      type: TERRAFORM_ROLE_TYPES[block.type] ?? 'jwt',
      name: typeof roleName === 'string' && !roleName.includes('${') ? roleName : block.name,
      mount: typeof backend === 'string' && !backend.includes('${') ? backend : undefined,
      path: block.path,
      fields: block.body,
      object: block.object,
    };
  });
}

/** The first of `keys` the role sets (API aliases such as `ttl` / `token_ttl`), with its path. */
export function roleField(role: VaultRole, ...keys: readonly string[]): RoleField | undefined {
  for (const key of keys) {
    if (role.fields[key] !== undefined) {
      return { key, value: role.fields[key], path: [...role.path, key] };
    }
  }
  return undefined;
}

/** A field read as a list: Vault accepts both a JSON list and a comma-separated string. */
export function listValue(value: unknown): readonly string[] {
  if (Array.isArray(value)) {
    return (value as readonly unknown[]).filter((item): item is string => typeof item === 'string');
  }
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  return [];
}

export type JwtIssuerFamily = 'github' | 'gitlab' | 'agents' | 'teleport';

const GITHUB_CLAIMS = [
  'repository',
  'repository_owner',
  'job_workflow_ref',
  'workflow',
  'environment',
];
const GITLAB_CLAIMS = [
  'project_path',
  'namespace_path',
  'project_id',
  'ref_protected',
  'pipeline_source',
];

/** Which kind of caller a JWT role is for, from its mount, bound claims, subject and audiences. */
export function jwtFamily(role: VaultRole): JwtIssuerFamily | undefined {
  const mount = (role.mount ?? '').toLowerCase();
  if (mount.startsWith('github')) return 'github';
  if (mount.startsWith('gitlab')) return 'gitlab';
  if (mount === 'agents' || mount.startsWith('agents-')) return 'agents';
  if (mount.startsWith('teleport')) return 'teleport';
  const claims = isObject(role.fields['bound_claims'])
    ? Object.keys(role.fields['bound_claims'])
    : [];
  if (claims.includes('bot_name')) return 'teleport';
  if (claims.some((claim) => GITLAB_CLAIMS.includes(claim))) return 'gitlab';
  if (claims.some((claim) => GITHUB_CLAIMS.includes(claim))) return 'github';
  const subject = role.fields['bound_subject'];
  if (typeof subject === 'string' && subject.startsWith('repo:')) return 'github';
  if (typeof subject === 'string' && subject.startsWith('project_path:')) return 'gitlab';
  const audiences = listValue(role.fields['bound_audiences']).join(' ').toLowerCase();
  if (audiences.includes('github')) return 'github';
  if (audiences.includes('gitlab')) return 'gitlab';
  const name = role.name.toLowerCase();
  if (name.includes('github')) return 'github';
  if (name.includes('gitlab')) return 'gitlab';
  return undefined;
}

/** Policies a role grants (`token_policies`, or the older `policies`). */
export function rolePolicies(role: VaultRole): readonly string[] {
  return listValue(roleField(role, 'token_policies', 'policies')?.value);
}

/** True when the role grants production policies or is named for production. */
export function isProdRole(role: VaultRole): boolean {
  return /prod/i.test(role.name) || rolePolicies(role).some((policy) => /prod/i.test(policy));
}
