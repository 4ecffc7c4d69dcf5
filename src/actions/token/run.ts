import { WifError } from '../../core/errors.ts';
import { obtainToken } from '../../core/token/obtain.ts';
import { tokenCredentialSet } from '../../core/token/token-credential.ts';
import { githubTokenSource } from '../../platforms/github/id-token-source.ts';
import { integerInput, stringInput } from '../../platforms/github/inputs.ts';
import { runAction } from '../../platforms/github/run-action.ts';
import { exportToGitHub } from '../../platforms/github/sink.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The step itself; main.ts starts the token request before loading this. */
export function main(): void {
  runAction(async () => {
    const audience = stringInput('audience');
    const timeoutSeconds = integerInput('timeout-seconds', 30, { min: 1, max: 600 });
    const exportPathAs = (stringInput('export-path-as') ?? '')
      .split(/[\s,]+/)
      .filter((name) => name !== '');
    for (const name of exportPathAs) {
      if (!ENV_NAME.test(name)) {
        throw new WifError('usage', `Input "export-path-as" names an invalid variable "${name}".`, {
          fix: 'Use letters, digits and underscores, e.g. AWS_WEB_IDENTITY_TOKEN_FILE.',
        });
      }
    }
    const obtained = await obtainToken(githubTokenSource(process.env), {
      audience,
      deadlineMs: timeoutSeconds * 1000,
    });
    await exportToGitHub([
      tokenCredentialSet(obtained.token, obtained.claims, { pathEnv: exportPathAs }),
    ]);
  });
}
