import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor, WifError } from '../../src/core/errors.ts';
import type { ErrorCode } from '../../src/core/errors.ts';

describe('exit codes: 1 when only a change of configuration helps, 3 when trying again may', () => {
  const cases: readonly [string, ErrorCode, boolean, ExitCode][] = [
    ['a usage error', 'usage', false, ExitCode.usage],
    ['a trust refusal', 'denied', false, ExitCode.denied],
    ['a token that fails a pre-flight check', 'token-invalid', false, ExitCode.denied],
    ['no token from the platform', 'token-missing', false, ExitCode.denied],
    [
      'a permanent service refusal (unknown app, ValidationError)',
      'service',
      false,
      ExitCode.denied,
    ],
    ['a transient service failure that outlived its retries', 'service', true, ExitCode.failure],
    ['a network failure', 'network', true, ExitCode.failure],
    ['an expired deadline', 'timeout', false, ExitCode.failure],
    ['a failed token request', 'token-request-failed', true, ExitCode.failure],
    ['a local file problem', 'io', false, ExitCode.failure],
    ['a bug', 'internal', false, ExitCode.failure],
  ];
  it.each(cases)('%s exits as its kind says', (_what, code, transient, expected) => {
    expect(exitCodeFor(new WifError(code, 'x', { transient }))).toBe(expected);
  });

  it('anything that is not a WifError is a failure', () => {
    expect(exitCodeFor(new Error('boom'))).toBe(ExitCode.failure);
    expect(exitCodeFor('boom')).toBe(ExitCode.failure);
  });
});
