import type { TokenSource, TokenSourceSpec } from '../core/token/source.ts';
import { envTokenSource } from '../core/token/sources/env.ts';
import { fileTokenSource } from '../core/token/sources/file.ts';
import { gitlabTokenSource } from '../core/token/sources/gitlab.ts';
import { githubTokenSource, type WorkflowCommandRoute } from './github/id-token-source.ts';

/** Builds the source a spec names; GitHub's needs the Actions toolkit, so it lives here. */
export function createTokenSource(
  spec: TokenSourceSpec,
  env: Readonly<Record<string, string | undefined>>,
  options: { workflowCommands?: WorkflowCommandRoute } = {},
): TokenSource {
  switch (spec.kind) {
    case 'github':
      return githubTokenSource(env, options);
    case 'gitlab':
      return gitlabTokenSource(spec.variable, env);
    case 'file':
      return fileTokenSource(spec.path);
    case 'env':
      return envTokenSource(spec.variable, env);
  }
}
