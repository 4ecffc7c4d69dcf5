import { ExitCode } from '../../core/errors.ts';
import { obtainToken } from '../../core/token/obtain.ts';
import { parseTokenSourceSpec } from '../../core/token/source.ts';
import { createTokenSource } from '../../platforms/token-sources.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { parseSeconds } from '../values.ts';

const usage = `Usage: wif token [options]

Fetches the pipeline's OIDC token and prints its header, claims and pre-flight verdict as JSON.
The raw token is printed only with --raw.

Options:
  --source S        auto (default), github, gitlab[:VARIABLE], file:PATH, env:VARIABLE
  --audience A      the audience to request (GitHub) or to expect (other sources)
  --issuer URL      an issuer to expect; repeatable
  --timeout S       overall time limit in seconds (default 30)
  --raw             also print the raw token (it is a credential: keep it out of logs)

Exit status: 0 when the pre-flight checks pass; 1 when one fails or there is no token to
check (no id-token permission, variable or file; not a JWT), which only a change of
configuration fixes; 2 on a usage error; 3 when fetching failed (network, deadline).
`;

export const command: Command = {
  name: 'token',
  summary: 'Fetch the pipeline OIDC token and print its claims and pre-flight verdict',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs('token', argv, {
      source: { type: 'string', default: 'auto' },
      audience: { type: 'string' },
      issuer: { type: 'string', multiple: true },
      timeout: { type: 'string', default: '30' },
      raw: { type: 'boolean', default: false },
    });
    const spec = parseTokenSourceSpec(values.source, io.env);
    const timeout = parseSeconds('--timeout', values.timeout, { min: 1, max: 600 });
    const obtained = await obtainToken(
      createTokenSource(spec, io.env, { workflowCommands: 'stderr' }),
      {
        audience: values.audience,
        expectedIssuers: values.issuer,
        deadlineMs: timeout * 1000,
        enforcePreflight: false,
      },
    );
    const report = {
      source: obtained.source.description,
      header: obtained.header,
      claims: obtained.claims,
      verdict: obtained.verdict,
      ...(values.raw ? { token: obtained.token } : {}),
    };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    const first = obtained.verdict.problems[0];
    if (first !== undefined) {
      io.stderr(`wif: ${first.message} ${first.fix}\n`);
      return ExitCode.denied;
    }
    return ExitCode.ok;
  },
};
