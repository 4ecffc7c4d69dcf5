/**
 * Reads Vault Agent `auto_auth` methods from a parsed configuration (HCL through hcl2json, or
 * JSON) and from configuration text embedded in a ConfigMap. Vault Agent accepts both
 * `method "kubernetes" { … }` and `method { type = "kubernetes" … }`; an absent `mount_path`
 * means `auth/<type>`.
 */
import { entriesOf, isObject } from '../../document.ts';
import type { DocPath, PlainObject } from '../../document.ts';

export interface AgentMethod {
  readonly type: string;
  /** Path to the key naming the method (the label, or the `type` attribute). */
  readonly typePath: DocPath;
  readonly mountPath: string | undefined;
  readonly mountPathPath: DocPath | undefined;
}

function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as readonly unknown[]) : value === undefined ? [] : [value];
}

function method(
  type: string,
  typePath: DocPath,
  body: PlainObject,
  bodyPath: DocPath,
): AgentMethod {
  const mountPath = body['mount_path'];
  return {
    type,
    typePath,
    mountPath: typeof mountPath === 'string' ? mountPath : undefined,
    mountPathPath: typeof mountPath === 'string' ? [...bodyPath, 'mount_path'] : undefined,
  };
}

/** Methods of a parsed agent configuration (`{ auto_auth: … }`). */
export function agentMethods(config: unknown): readonly AgentMethod[] {
  if (!isObject(config)) return [];
  const found: AgentMethod[] = [];
  const autoAuth = config['auto_auth'];
  const blocks = asList(autoAuth);
  blocks.forEach((block, blockIndex) => {
    if (!isObject(block)) return;
    const blockPath: DocPath = Array.isArray(autoAuth) ? ['auto_auth', blockIndex] : ['auto_auth'];
    const methods = block['method'];
    const methodPath: DocPath = [...blockPath, 'method'];
    if (Array.isArray(methods)) {
      (methods as readonly unknown[]).forEach((body, index) => {
        if (isObject(body) && typeof body['type'] === 'string') {
          found.push(
            method(body['type'], [...methodPath, index, 'type'], body, [...methodPath, index]),
          );
        }
      });
      return;
    }
    if (!isObject(methods)) return;
    if (typeof methods['type'] === 'string') {
      found.push(method(methods['type'], [...methodPath, 'type'], methods, methodPath));
      return;
    }
    for (const [label, bodies] of entriesOf(methods)) {
      const list = asList(bodies);
      list.forEach((body, index) => {
        const bodyPath: DocPath = Array.isArray(bodies)
          ? [...methodPath, label, index]
          : [...methodPath, label];
        if (isObject(body)) found.push(method(label, [...methodPath, label], body, bodyPath));
      });
    }
  });
  return found;
}

/** The text between the brace at `open` and its partner (comments are not special here). */
function blockBody(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return text.slice(open + 1);
}

function withoutHclComments(text: string): string {
  return text.replace(/^\s*(?:#|\/\/).*$/gm, '');
}

export interface TextMethod {
  readonly type: string;
  readonly mountPath: string | undefined;
}

/** True when a ConfigMap value looks like a Vault Agent configuration. */
export function isAgentConfigText(text: string): boolean {
  return /\bauto_auth\b/.test(text);
}

/** Methods of an agent configuration written as text (HCL or JSON). */
export function agentMethodsInText(text: string): readonly TextMethod[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return agentMethods(JSON.parse(trimmed) as unknown).map(({ type, mountPath }) => ({
        type,
        mountPath,
      }));
    } catch {
      // Not JSON after all: fall through to HCL.
    }
  }
  const hcl = withoutHclComments(text);
  const found: TextMethod[] = [];
  for (const match of hcl.matchAll(/\bmethod\s*(?:"([^"]*)"\s*)?\{/g)) {
    const body = blockBody(hcl, match.index + match[0].length - 1);
    const type = match[1] ?? /\btype\s*=\s*"([^"]*)"/.exec(body)?.[1];
    if (type === undefined) continue;
    found.push({ type, mountPath: /\bmount_path\s*=\s*"([^"]*)"/.exec(body)?.[1] });
  }
  return found;
}
