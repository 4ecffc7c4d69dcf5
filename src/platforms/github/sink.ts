import * as core from '@actions/core';
import { applyExport, type AppliedExport, type SinkPort } from '../../core/credentials/apply.ts';
import { summaryRowOf, type CredentialSet } from '../../core/credentials/credential-set.ts';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { WifError } from '../../core/errors.ts';
import { maskOnce } from './masker.ts';
import { saveExportState } from './state.ts';

/** The runner's temp dir is wiped after every job on hosted runners, and is outside the workspace. */
export function runnerTemp(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const dir = env['RUNNER_TEMP'];
  if (dir === undefined || dir === '') {
    throw new WifError(
      'usage',
      'RUNNER_TEMP is not set, so there is nowhere safe to write credential files.',
      {
        fix: 'Run this action on a GitHub Actions runner (or set RUNNER_TEMP to a private directory).',
      },
    );
  }
  return dir;
}

const port: SinkPort = {
  mask: maskOnce,
  setEnv: (name, value) => {
    core.exportVariable(name, value);
  },
  setOutput: (name, value) => {
    core.setOutput(name, value);
  },
};

/**
 * GitHub sink: masks every secret, writes files under RUNNER_TEMP, exports variables and
 * outputs, remembers what it did for the post step, and adds a summary table of names and
 * expiry (never values).
 */
export async function exportToGitHub(
  sets: readonly CredentialSet[],
  stateKey = 'wif-export',
): Promise<AppliedExport> {
  const applied = await applyExport(sets, port, () => SecretDirectory.create(runnerTemp()));
  saveExportState(stateKey, applied);
  await writeObtainedSummary(sets);
  return applied;
}

async function writeObtainedSummary(sets: readonly CredentialSet[]): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return;
  const rows = sets.map(summaryRowOf);
  await core.summary
    .addHeading('wif: credentials obtained', 3)
    .addTable([
      [
        { data: 'Target', header: true },
        { data: 'What', header: true },
        { data: 'Exported as', header: true },
        { data: 'Expires', header: true },
      ],
      ...rows.map((r) => [
        r.target,
        r.label,
        r.names.map((n) => `<code>${escapeHtml(n)}</code>`).join(' '),
        r.expiresAt === undefined ? 'n/a' : r.expiresAt.toISOString(),
      ]),
    ])
    .write();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
