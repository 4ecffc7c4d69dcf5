import { WifError } from '../../errors.ts';
import type { TokenSource } from '../source.ts';

/**
 * GitLab mints ID tokens at job start into the variables the job names under `id_tokens:`;
 * the audience is fixed there, so a missing variable is fixed in `.gitlab-ci.yml`, not here.
 */
export function gitlabTokenSource(
  variable: string,
  env: Readonly<Record<string, string | undefined>>,
): TokenSource {
  return {
    spec: { kind: 'gitlab', variable },
    description: `the GitLab ID token variable ${variable}`,
    mintsPerAudience: false,
    async fetch(audience) {
      const token = env[variable];
      if (token === undefined || token.trim() === '') {
        const aud = audience ?? 'https://gitlab.com';
        throw new WifError('token-missing', `The GitLab job has no ID token in $${variable}.`, {
          fix: `Add to the job: id_tokens: { ${variable}: { aud: ${JSON.stringify(aud)} } }`,
        });
      }
      return token.trim();
    },
  };
}
