import { readFile } from 'node:fs/promises';
import { WifError } from '../../core/errors.ts';
import { parseFederationConfig, prepareTarget } from '../../core/exchange/federation-config.ts';
import type { PreparedTarget } from '../../core/exchange/registry.ts';
import { prefetchIdToken, prefetchSent } from '../../platforms/github/early-token.ts';
import { federateOnGitHub } from '../../platforms/github/federate.ts';
import { integerInput, stringInput } from '../../platforms/github/inputs.ts';
import { runAction } from '../../platforms/github/run-action.ts';
import { wifCommandFrom } from '../../platforms/github/wif-command.ts';

/**
 * The umbrella action: every configured target in one step, concurrently (each in a worker
 * thread beside this bundle when the machine has a core per target; see run-targets.ts).
 * Targets come from a wif.yaml (`config`), inline YAML (`targets`), or the shortcut inputs for
 * one target of each cloud (`aws-role-arn`, `gcp-workload-identity-provider`, `azure-client-id`, …).
 */
const SHORTCUTS: Readonly<Record<string, { type: string; prefix: string; trigger: string }>> = {
  aws: { type: 'aws', prefix: 'aws-', trigger: 'aws-role-arn' },
  gcp: { type: 'gcp', prefix: 'gcp-', trigger: 'gcp-workload-identity-provider' },
  azure: { type: 'azure', prefix: 'azure-', trigger: 'azure-client-id' },
};

const SHORTCUT_INPUTS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'role-arn',
    'region',
    'audience',
    'role-session-name',
    'role-duration-seconds',
    'profile',
    'chain-role-arns',
    'allowed-account-ids',
    'sts-endpoint',
  ],
  gcp: [
    'workload-identity-provider',
    'service-account',
    'audience',
    'project-id',
    'token-format',
    'sts-endpoint',
    'iamcredentials-endpoint',
  ],
  azure: ['client-id', 'tenant-id', 'subscription-id', 'audience', 'environment', 'authority-host'],
};

runAction(async () => {
  const configFile = stringInput('config');
  const inline = stringInput('targets');
  const refresh = stringInput('refresh');
  const targets: PreparedTarget[] = [];
  let declared = 0;
  if (configFile !== undefined) {
    const text = await readFile(configFile, 'utf8').catch(() => {
      throw new WifError('usage', `Input "config": cannot read ${configFile}.`, {
        fix: 'Check out the repository first, or fix the path.',
      });
    });
    const config = parseFederationConfig(text, configFile, process.env);
    refuseOtherSource(config.source, configFile);
    targets.push(...config.targets);
    declared++;
  }
  if (inline !== undefined) {
    targets.push(
      ...parseFederationConfig(
        `version: 1\ntargets:\n${inline.replace(/^/gm, '  ')}`,
        'input "targets"',
        process.env,
      ).targets,
    );
    declared++;
  }
  for (const [name, shortcut] of Object.entries(SHORTCUTS)) {
    if (stringInput(shortcut.trigger) === undefined) continue;
    const options: Record<string, unknown> = { type: shortcut.type };
    for (const option of SHORTCUT_INPUTS[name] ?? []) {
      const value = stringInput(`${shortcut.prefix}${option}`);
      if (value !== undefined) options[option] = value;
    }
    if (refresh !== undefined) options['refresh'] = refresh;
    targets.push(prepareTarget(name, options, 'inputs', process.env));
  }
  if (targets.length === 0 || declared > 1) {
    throw new WifError(
      'usage',
      declared > 1
        ? 'Give targets either as "config" or as "targets", not both.'
        : 'No target configured.',
      {
        fix: 'Set "config" (a wif.yaml), "targets" (inline YAML), or the shortcut inputs such as aws-role-arn.',
      },
    );
  }
  const names = targets.map((t) => t.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new WifError('usage', `Two targets are named "${duplicate}".`);
  // Every target's token request goes out before any SDK loads (they load in `run`).
  for (const target of targets) prefetchIdToken(target.audience);
  await prefetchSent();
  const timeoutSeconds = integerInput(
    'timeout-seconds',
    Math.max(...targets.map((t) => t.timeoutSeconds)),
    { min: 5, max: 3600 },
  );
  await federateOnGitHub(targets, {
    wifCommand: wifCommandFrom(import.meta.url),
    timeoutSeconds,
    prefixOutputs: true,
    entryUrl: import.meta.url,
  });
});

/**
 * The action's token always comes from the job's OIDC endpoint: it is requested before anything
 * loads, masked by the toolkit, and re-minted per audience by the refresher. A wif.yaml shared
 * with GitLab or Tekton may name their source; here that would be silently wrong, so it fails.
 */
function refuseOtherSource(source: string | undefined, file: string): void {
  const value = source?.trim() ?? '';
  if (value === '' || value === 'auto' || value === 'github') return;
  throw new WifError(
    'usage',
    `${file}: source "${value}" cannot be used by the GitHub action, which always takes the job's token from GitHub.`,
    {
      fix: 'Remove "source" (or set it to auto or github), or run `wif federate --config FILE` in a run: step to use another token source.',
    },
  );
}
