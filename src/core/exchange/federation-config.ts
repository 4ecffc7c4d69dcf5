import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { WifError } from '../errors.ts';
import { OptionReader } from './options.ts';
import { exchangeKind, exchangeKinds, type PreparedTarget } from './registry.ts';

/**
 * The one config file GitHub, GitLab and Tekton share (`wif federate --config wif.yaml`, the
 * umbrella action's `config` input). Each target names its `type` and takes exactly the
 * options of that type's action, under the same names. docs/wif-config.schema.json is
 * generated from the same option lists.
 */
export interface FederationConfig {
  readonly source: string | undefined;
  readonly targets: readonly PreparedTarget[];
}

const TARGET_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function parseFederationConfig(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): FederationConfig {
  let documents: unknown[];
  try {
    // js-yaml, as the scanner reads YAML: the umbrella then compiles one YAML library, not two.
    documents = loadAll(text, { schema: CORE_SCHEMA, maxAliases: 50, maxDepth: 64 });
  } catch (error) {
    throw new WifError(
      'usage',
      `${file} is not valid YAML: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : ''}`,
    );
  }
  if (documents.length > 1) {
    throw new WifError(
      'usage',
      `${file} holds ${documents.length} YAML documents; put "version: 1" and "targets:" in one.`,
    );
  }
  const doc = documents[0] ?? null;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new WifError('usage', `${file} must be a mapping with "version: 1" and "targets:".`);
  }
  const { version, source, targets, ...rest } = doc as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw new WifError(
      'usage',
      `${file}: unknown key "${extra}" (known: version, source, targets).`,
    );
  if (version !== 1) throw new WifError('usage', `${file}: "version" must be 1.`);
  if (source !== undefined && typeof source !== 'string')
    throw new WifError(
      'usage',
      `${file}: "source" must be a string such as github or gitlab:WIF_ID_TOKEN.`,
    );
  if (
    typeof targets !== 'object' ||
    targets === null ||
    Array.isArray(targets) ||
    Object.keys(targets).length === 0
  ) {
    throw new WifError(
      'usage',
      `${file}: "targets" must map target names to their options, e.g. targets: { prod: { type: aws, role-arn: … } }.`,
    );
  }
  return {
    source,
    targets: Object.entries(targets as Record<string, unknown>).map(([name, value]) =>
      prepareTarget(name, value, file, env),
    ),
  };
}

export function prepareTarget(
  name: string,
  value: unknown,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): PreparedTarget {
  const where = `${file}: targets.${name}`;
  if (!TARGET_NAME.test(name))
    throw new WifError(
      'usage',
      `${where}: target names are lower-case letters, digits and dashes (at most 32).`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WifError('usage', `${where} must be a mapping of options.`);
  const { type, ...options } = value as Record<string, unknown>;
  const kind = typeof type === 'string' ? exchangeKind(type) : undefined;
  if (kind === undefined) {
    throw new WifError(
      'usage',
      `${where}.type must be one of ${exchangeKinds.map((k) => k.type).join(', ')}.`,
    );
  }
  const raw: Record<string, string | undefined> = {};
  for (const [key, v] of Object.entries(options)) raw[key] = scalar(v, `${where}.${key}`);
  const reader = new OptionReader(raw, { kind: 'file', file, target: name });
  const unknown = reader.unknown(kind.optionNames)[0];
  if (unknown !== undefined)
    throw new WifError('usage', `${where}: unknown option "${unknown}" for type ${kind.type}.`);
  return kind.prepare(name, reader, env);
}

function scalar(value: unknown, where: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  throw new WifError('usage', `${where} must be a string, number, boolean or list.`);
}

/** JSON Schema of the file, generated from the exchanges' option lists. */
export function federationConfigSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://wif.dev/schemas/wif-config.schema.json',
    title: 'wif federation config',
    description:
      'Targets for `wif federate --config` and the umbrella action `config` input. Option names and meanings are those of the per-target actions (actions/<type>/action.yml).',
    type: 'object',
    additionalProperties: false,
    required: ['version', 'targets'],
    properties: {
      version: { const: 1 },
      source: {
        type: 'string',
        description: 'Token source: auto, github, gitlab[:VARIABLE], file:PATH, env:VARIABLE.',
      },
      targets: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: TARGET_NAME.source },
        additionalProperties: {
          oneOf: exchangeKinds.map((kind) => ({
            type: 'object',
            description: kind.summary,
            required: ['type'],
            additionalProperties: false,
            properties: {
              type: { const: kind.type },
              ...Object.fromEntries(
                kind.optionNames.map((n) => [
                  n,
                  { type: ['string', 'number', 'boolean', 'array'] },
                ]),
              ),
            },
          })),
        },
      },
    },
  };
}
