import { cleanupGitHubExport } from '../../platforms/github/cleanup.ts';
import { runAction } from '../../platforms/github/run-action.ts';

runAction(async () => {
  await cleanupGitHubExport();
});
