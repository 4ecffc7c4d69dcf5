import { readFile } from 'node:fs/promises';
import { WifError } from '../../errors.ts';
import type { TokenSource } from '../source.ts';

/** Projected tokens are large but never this large; a bigger file is the wrong file. */
const MAX_TOKEN_BYTES = 64 * 1024;

/**
 * A projected ServiceAccount token (Tekton, any Kubernetes pod). The kubelet rewrites the file
 * before the token expires, so it is read afresh on every fetch and never cached.
 */
export function fileTokenSource(path: string): TokenSource {
  return {
    spec: { kind: 'file', path },
    description: `the token file ${path}`,
    mintsPerAudience: false,
    async fetch() {
      let content: Buffer;
      try {
        content = await readFile(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason =
          code === 'ENOENT'
            ? 'does not exist'
            : code === 'EACCES'
              ? 'is not readable by this user'
              : code === 'EISDIR'
                ? 'is a directory'
                : `cannot be read (${code ?? 'unknown error'})`;
        throw new WifError('token-missing', `The token file ${path} ${reason}.`, {
          fix: 'Mount a projected ServiceAccount token there (volumes[].projected.sources[].serviceAccountToken with an audience and path), or pass the right --source file:PATH.',
          cause: error,
        });
      }
      if (content.length > MAX_TOKEN_BYTES) {
        throw new WifError(
          'token-invalid',
          `The token file ${path} is ${content.length} bytes, too large for a token.`,
          {
            fix: 'Point the file source at the projected token itself, not at another file.',
          },
        );
      }
      const token = content.toString('utf8').trim();
      if (token === '') {
        throw new WifError('token-missing', `The token file ${path} is empty.`, {
          fix: 'Wait for the kubelet to project the token, or check the volume mount path.',
        });
      }
      return token;
    },
  };
}
