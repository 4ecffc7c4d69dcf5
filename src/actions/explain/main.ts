import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { WifError } from '../../core/errors.ts';
import {
  detectTrustConfig,
  explainTrust,
  explanationJson,
  renderExplanationMarkdown,
  renderExplanationText,
  type TrustConfig,
  type TrustConfigType,
} from '../../core/policy/index.ts';
import { obtainToken } from '../../core/token/obtain.ts';
import type { Claims } from '../../core/token/claims.ts';
import { githubTokenSource } from '../../platforms/github/id-token-source.ts';
import { booleanInput, stringInput } from '../../platforms/github/inputs.ts';
import { runAction } from '../../platforms/github/run-action.ts';

/**
 * `wif explain` as a step: mints this job's token (or reads claims), runs it against the trust
 * configurations given, and writes each verdict with its per-condition trace to the job
 * summary — so a refusal is explained before anyone reaches for a cloud console.
 */
const TYPES: readonly TrustConfigType[] = ['aws', 'gcp', 'azure', 'vault'];

async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new WifError('usage', `${what}: cannot read ${path}.`, {
      fix: 'Check out the repository first, or fix the path.',
    });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WifError('usage', `${what}: ${path} is not JSON.`);
  }
}

runAction(async () => {
  const files = (stringInput('trust-configs') ?? '')
    .split(/\r?\n|,/)
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (files.length === 0)
    throw new WifError(
      'usage',
      'Input "trust-configs" is required: one or more trust configuration files (JSON), one per line.',
    );
  const typeInput = stringInput('type');
  if (typeInput !== undefined && !(TYPES as readonly string[]).includes(typeInput)) {
    throw new WifError(
      'usage',
      `Input "type" must be one of ${TYPES.join(', ')}, not "${typeInput}".`,
    );
  }
  const type = typeInput as TrustConfigType | undefined;
  const configs: TrustConfig[] = [];
  for (const file of files)
    configs.push(detectTrustConfig(await readJson(file, 'Input "trust-configs"'), file, type));
  const mountConfig = stringInput('vault-mount-config');
  if (mountConfig !== undefined)
    configs.push(
      detectTrustConfig(await readJson(mountConfig, 'Input "vault-mount-config"'), mountConfig),
    );

  const claimsFile = stringInput('claims-file');
  let claims: Claims;
  if (claimsFile !== undefined) {
    const doc = await readJson(claimsFile, 'Input "claims-file"');
    const inner = typeof doc === 'object' && doc !== null && 'claims' in doc ? doc.claims : doc;
    if (typeof inner !== 'object' || inner === null)
      throw new WifError('usage', `Input "claims-file": ${claimsFile} holds no claims object.`);
    claims = inner as Claims;
  } else {
    const audience = stringInput('audience');
    claims = (
      await obtainToken(githubTokenSource(process.env), { audience, enforcePreflight: false })
    ).claims;
  }

  const audience = stringInput('gcp-audience');
  const results = explainTrust(claims, configs, {
    now: Math.floor(Date.now() / 1000),
    ...(audience === undefined ? {} : { requestedAudience: audience }),
  });
  core.info(renderExplanationText(results));
  await core.summary
    .addHeading('wif explain', 3)
    .addRaw(renderExplanationMarkdown(results), true)
    .write();
  const accepted = results.every((r) => r.decision.accepted);
  core.setOutput('accepted', String(accepted));
  core.setOutput('explanation', JSON.stringify(explanationJson(results)));
  if (!accepted && booleanInput('fail-on-deny', true)) {
    const refused = results.filter((r) => !r.decision.accepted).map((r) => r.label);
    throw new WifError(
      'denied',
      `Refused by ${refused.join(', ')}; the job summary shows the failing conditions.`,
    );
  }
});
