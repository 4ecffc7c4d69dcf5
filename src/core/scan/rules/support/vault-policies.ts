/**
 * Vault ACL policies, wherever they are written: policy files (HCL or JSON), Terraform
 * `vault_policy` resources (the policy text inside `policy`) and `data "vault_policy_document"`
 * rule blocks. Each rule comes with the path of its `path` key.
 */
import { arrayAt, entriesOf, isObject } from '../../document.ts';
import type { DocPath, ScanDocument } from '../../document.ts';
import type { ObjectRef } from '../../rule.ts';
import { terraformBlocks } from './terraform.ts';

export interface PolicyRule {
  /** The path pattern, e.g. `secret/data/ns/payments/*`. */
  readonly pattern: string;
  readonly capabilities: readonly string[];
  /** Where the rule's `path` key sits. */
  readonly path: DocPath;
}

export interface VaultPolicy {
  /** The policy name: Terraform `name` or label, else the file's base name. */
  readonly name: string;
  readonly object: ObjectRef | undefined;
  readonly rules: readonly PolicyRule[];
}

function strings(value: unknown): readonly string[] {
  return Array.isArray(value)
    ? (value as readonly unknown[]).filter((item): item is string => typeof item === 'string')
    : [];
}

function baseName(file: string): string {
  return (file.split('/').pop() ?? file).replace(/\.(?:policy\.)?(?:hcl|json)$/, '');
}

/** Reads `path "…" { capabilities = [...] }` blocks from policy text (a Terraform heredoc). */
function rulesFromText(text: string, base: DocPath): PolicyRule[] {
  const rules: PolicyRule[] = [];
  // Commented-out rules are not rules; masking keeps offsets for the brace scan below.
  const live = text.replace(/(^|[ \t])(?:#|\/\/)[^\n]*/gm, (comment) => ' '.repeat(comment.length));
  const opener = /path\s+"([^"]+)"\s*\{/g;
  for (const match of live.matchAll(opener)) {
    let depth = 1;
    let end = match.index + match[0].length;
    // Blocks nest (`allowed_parameters { … }`); scan to the matching brace, bounded by the text.
    while (end < live.length && depth > 0) {
      const char = live[end];
      if (char === '{') depth += 1;
      else if (char === '}') depth -= 1;
      end += 1;
    }
    const body = live.slice(match.index + match[0].length, end);
    const list = /capabilities\s*=\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
    const capabilities = [...list.matchAll(/"([^"]*)"/g)].map((item) => item[1] ?? '');
    const pattern = match[1] ?? '';
    rules.push({ pattern, capabilities, path: [...base, pattern] });
  }
  return rules;
}

export function vaultPolicies(document: ScanDocument): readonly VaultPolicy[] {
  const kind = document.classification.kind;
  if (kind === 'vault-policy') {
    const rules: PolicyRule[] = [];
    for (const [pattern, raw] of entriesOf(
      isObject(document.value) ? document.value['path'] : undefined,
    )) {
      // HCL gives a list of blocks per path; JSON policies give the block itself.
      const blocks = Array.isArray(raw) ? (raw as readonly unknown[]) : [raw];
      const capabilities = blocks.flatMap((block) =>
        isObject(block) ? strings(block['capabilities']) : [],
      );
      rules.push({ pattern, capabilities, path: ['path', pattern] });
    }
    return [{ name: baseName(document.file), object: undefined, rules }];
  }
  if (kind !== 'terraform') return [];
  const policies: VaultPolicy[] = [];
  for (const block of terraformBlocks(document.value, ['vault_policy'])) {
    const text = block.body['policy'];
    if (typeof text !== 'string') continue;
    const name = block.body['name'];
    policies.push({
      name: typeof name === 'string' && !name.includes('${') ? name : block.name,
      object: block.object,
      rules: rulesFromText(text, [...block.path, 'policy']),
    });
  }
  for (const block of terraformBlocks(document.value, ['vault_policy_document'], 'data')) {
    const rules: PolicyRule[] = [];
    arrayAt(block.body, ['rule']).forEach((rule, index) => {
      if (!isObject(rule) || typeof rule['path'] !== 'string') return;
      rules.push({
        pattern: rule['path'],
        capabilities: strings(rule['capabilities']),
        path: [...block.path, 'rule', index, 'path'],
      });
    });
    policies.push({ name: block.name, object: block.object, rules });
  }
  return policies;
}

/** Policies named for platform operators rather than workloads (admin, CI bootstrap, …). */
export function isPlatformPolicy(name: string): boolean {
  return /admin|platform|root|operator|terraform|break-?glass|bootstrap|vault-config/i.test(name);
}

export const WRITE_CAPABILITIES = ['create', 'update', 'patch', 'delete', 'sudo'] as const;
