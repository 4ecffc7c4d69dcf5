import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { WifError } from '../core/errors.ts';

/**
 * The sandbox configuration: one YAML (or JSON) file with a top-level section per emulator,
 * named as in `src/sandbox/emulators.ts`. The host checks the section names; each emulator
 * checks the keys of its own section when it starts. An absent section means that emulator's
 * defaults, so an empty file (or no file at all) runs every emulator with its defaults.
 */
export type SandboxConfig = Readonly<Record<string, unknown>>;

/**
 * The embedded default, used when `wif sandbox` gets no `--config`. It spells out the default
 * GitHub job so a user can copy it as a starting point; every other emulator's default
 * configuration trusts tokens from exactly this job.
 */
export const defaultConfigText = `# wif sandbox configuration: one section per emulator; an absent section means its defaults.
issuer:
  jobs:
    # The first job is exported as ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN.
    - repository: octo-org/octo-repo
      repositoryOwnerId: "65"
      repositoryId: "74"
      ref: refs/heads/main
      workflow: CI
      eventName: push
      actor: octocat
`;

export function parseSandboxConfig(
  text: string,
  source: string,
  knownSections: readonly string[],
): SandboxConfig {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0].line;
    throw configError(
      `${source}${line === undefined ? '' : `:${line}`} is not valid YAML: ${(first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw configError(`${source} must be a mapping of emulator names to their settings`);
  }
  for (const name of Object.keys(value)) {
    if (!knownSections.includes(name)) {
      throw configError(
        `${source} has an unknown section "${name}" (emulators: ${knownSections.join(', ')})`,
      );
    }
  }
  return value as SandboxConfig;
}

export async function loadSandboxConfig(
  path: string | undefined,
  knownSections: readonly string[],
): Promise<SandboxConfig> {
  if (path === undefined)
    return parseSandboxConfig(defaultConfigText, 'the default sandbox config', knownSections);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new WifError('usage', `The sandbox config ${path} cannot be read (${code}).`, {
      fix: 'Pass an existing YAML or JSON file to --config, or omit it for the defaults.',
      cause: error,
    });
  }
  return parseSandboxConfig(text, path, knownSections);
}

function configError(message: string): WifError {
  return new WifError('usage', `${message}.`, {
    fix: 'Fix the sandbox config file (one section per emulator) and start again.',
  });
}
