import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

/**
 * The scanner as users run it: the committed bundle, with no node_modules to fall back on for
 * the HCL parser's WASM (it is embedded in the bundle).
 */
const dir = mkdtempSync(join(tmpdir(), 'wif-scan-bundle-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('wif scan from dist/', () => {
  it('parses Terraform through the embedded HCL parser and reports the offending key', async () => {
    writeFileSync(
      join(dir, 'role.tf'),
      [
        'resource "aws_iam_role" "deploy" {',
        '  name = "deploy"',
        '  assume_role_policy = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [{',
        '      Effect    = "Allow"',
        '      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }',
        '      Action    = "sts:AssumeRoleWithWebIdentity"',
        '      Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }',
        '    }]',
        '  })',
        '}',
        '',
      ].join('\n'),
    );
    const result = await runCli(['scan', dir, '--format', 'json', '--fail-on', 'never'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      findings: { ruleId: string; file: string; line: number }[];
    };
    expect(report.findings.some((f) => f.ruleId === 'WIF-PARSE')).toBe(false);
    expect(report.findings.map((f) => f.ruleId)).toContain('CLD-01');
  });
});
