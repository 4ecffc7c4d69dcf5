import { WifError } from '../../errors.ts';
import type { TokenSource } from '../source.ts';

/** A token some other system placed in a variable; its audience was fixed by that system. */
export function envTokenSource(
  variable: string,
  env: Readonly<Record<string, string | undefined>>,
): TokenSource {
  return {
    spec: { kind: 'env', variable },
    description: `the variable ${variable}`,
    mintsPerAudience: false,
    async fetch() {
      const token = env[variable];
      if (token === undefined || token.trim() === '') {
        throw new WifError('token-missing', `The variable ${variable} is not set or is empty.`, {
          fix: `Export the OIDC token in ${variable}, or choose another --source.`,
        });
      }
      return token.trim();
    },
  };
}
