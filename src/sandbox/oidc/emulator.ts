import type { EmulatorContext, EmulatorDefinition, RunningEmulator } from '../emulator.ts';
import { readGitHubJobSpec, type GitHubJobSpec } from './github-claims.ts';
import { startIssuer, type IssuerHandle, type IssuerJob } from './issuer.ts';
import { usage } from './spec.ts';

export const issuerName = 'issuer';

/** The issuer's section of the sandbox config. */
export interface IssuerConfig {
  /** GitHub jobs to register; the first one is exported as `ACTIONS_ID_TOKEN_REQUEST_*`. */
  readonly jobs: readonly GitHubJobSpec[];
}

/** Reads the `issuer:` section; absent means one default job. */
export function readIssuerConfig(value: unknown): IssuerConfig {
  if (value === undefined || value === null) return { jobs: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw usage(`${issuerName} must be a mapping with a "jobs" list.`);
  }
  const { jobs, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined)
    throw usage(`${issuerName} has an unknown key "${unknown}" (known: jobs).`);
  if (jobs === undefined || jobs === null) return { jobs: [] };
  if (!Array.isArray(jobs))
    throw usage(`${issuerName}.jobs must be a list of GitHub job descriptions.`);
  return { jobs: jobs.map((job, i) => readGitHubJobSpec(job, `${issuerName}.jobs[${i}]`)) };
}

/** The running issuer as an emulator, with the handle the sandbox host and tests drive. */
export interface RunningIssuer extends RunningEmulator {
  readonly issuer: IssuerHandle;
  readonly jobs: readonly IssuerJob[];
}

export interface IssuerEmulatorDefinition extends EmulatorDefinition {
  start(context: EmulatorContext): Promise<RunningIssuer>;
}

export const issuerEmulator: IssuerEmulatorDefinition = {
  name: issuerName,
  summary:
    'OIDC issuer: discovery, JWKS, GitHub token request endpoint, GitLab and Kubernetes tokens',
  async start(context) {
    const config = readIssuerConfig(context.config);
    const issuer = await startIssuer({
      port: context.port,
      faults: context.faults,
      log: context.log,
    });
    const specs = config.jobs.length === 0 ? [{}] : config.jobs;
    const jobs = specs.map((spec) => issuer.addJob(spec));
    const first = jobs[0];
    if (first === undefined) throw usage('issuer: no job to export.');
    return {
      name: issuerName,
      urls: { issuer: issuer.url, tokenRequest: first.requestUrl },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: first.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: first.requestToken,
        WIF_SANDBOX_ISSUER: issuer.url,
      },
      issuer,
      jobs,
      close: () => issuer.close(),
    };
  },
};
