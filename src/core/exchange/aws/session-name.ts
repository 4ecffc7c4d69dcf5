/**
 * RoleSessionName must be 2–64 characters of `[\w+=,.@-]`. The default names the run so that
 * CloudTrail shows which pipeline run held the session (INV-10).
 */
const INVALID = /[^\w+=,.@-]+/g;

export function defaultSessionName(env: Readonly<Record<string, string | undefined>>): string {
  if (env['GITHUB_ACTIONS'] === 'true') {
    return sanitizeSessionName(
      `GitHubActions-${env['GITHUB_RUN_ID'] ?? 'run'}-${env['GITHUB_RUN_ATTEMPT'] ?? '1'}`,
    );
  }
  if (env['GITLAB_CI'] === 'true') {
    return sanitizeSessionName(
      `GitLab-${env['CI_PROJECT_ID'] ?? 'project'}-${env['CI_PIPELINE_ID'] ?? 'pipeline'}-${env['CI_JOB_ID'] ?? 'job'}`,
    );
  }
  if (env['TEKTON_TASKRUN_NAME'] !== undefined)
    return sanitizeSessionName(`Tekton-${env['TEKTON_TASKRUN_NAME']}`);
  return 'wif';
}

export function sanitizeSessionName(name: string): string {
  const cleaned = name.replace(INVALID, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

export function isValidSessionName(name: string): boolean {
  return name.length >= 2 && name.length <= 64 && !/[^\w+=,.@-]/.test(name);
}
