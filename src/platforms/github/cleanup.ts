import * as core from '@actions/core';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { loadExportState } from './state.ts';

/**
 * The post step: removes the credential directory and blanks every variable the main step
 * exported, so later steps of the job cannot pick up stale credentials. Runs even when main
 * failed (`post-if: always()`); with nothing saved there is nothing to do.
 */
export async function cleanupGitHubExport(
  stateKey = 'wif-export',
): Promise<{ removed: string | undefined; blanked: readonly string[] }> {
  const applied = loadExportState(stateKey);
  if (applied === undefined) {
    core.info('wif: nothing to clean up.');
    return { removed: undefined, blanked: [] };
  }
  if (applied.directory !== undefined) await SecretDirectory.adopt(applied.directory).remove();
  for (const name of applied.env) core.exportVariable(name, '');
  core.info(
    `wif: removed ${applied.files.length} credential file(s)${applied.env.length > 0 ? ` and blanked ${applied.env.join(', ')}` : ''}.`,
  );
  if (process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary
      .addRaw(
        `wif: cleaned up ${applied.files.length} credential file(s) and ${applied.env.length} variable(s).`,
        true,
      )
      .write();
  }
  return { removed: applied.directory, blanked: applied.env };
}
