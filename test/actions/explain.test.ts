import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuerHost } from '../../src/core/policy/aws.ts';
import { startIssuer, type IssuerHandle } from '../../src/sandbox/oidc/issuer.ts';
import { runAction } from '../support/runner.ts';
import { mainBranchTrustPolicy } from '../support/trust-policies.ts';

let issuer: IssuerHandle;
const dir = mkdtempSync(join(tmpdir(), 'wif-explain-action-'));
let policyFile = '';

beforeAll(async () => {
  issuer = await startIssuer();
  const host = issuerHost(issuer.url);
  policyFile = join(dir, 'get-role.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      Role: {
        RoleName: 'deploy',
        Arn: 'arn:aws:iam::111122223333:role/deploy',
        AssumeRolePolicyDocument: mainBranchTrustPolicy(host),
      },
    }),
  );
});
afterAll(async () => {
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('actions/explain', () => {
  it('accepts the default job and says so in an output and the job summary', async () => {
    const run = await runAction('actions/explain', {
      inputs: { 'trust-configs': policyFile, audience: 'sts.amazonaws.com' },
      oidc: issuer.addJob(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.outputs['accepted']).toBe('true');
    expect(run.main.summary).toMatch(/wif explain/);
    run.dispose();
  });

  it('explains a refusal in the job summary: the failing condition and a hint, and fails the step', async () => {
    const run = await runAction('actions/explain', {
      inputs: { 'trust-configs': policyFile, audience: 'sts.amazonaws.com' },
      oidc: issuer.addJob({ environment: 'prod' }),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs['accepted']).toBe('false');
    expect(run.main.summary).toMatch(/:sub/);
    expect(run.main.summary).toMatch(/environment/);
    expect(run.main.errors).toEqual([expect.stringMatching(/Refused by .*job summary/)]);
    const explanation = JSON.parse(run.main.outputs['explanation']!) as unknown;
    expect(JSON.stringify(explanation)).toContain('repo:octo-org/octo-repo:environment:prod');
    run.dispose();
  });

  it('names a missing input in one line', async () => {
    const run = await runAction('actions/explain', { oidc: issuer.addJob() });
    expect(run.main.errors).toEqual([
      'Input "trust-configs" is required: one or more trust configuration files (JSON), one per line.',
    ]);
    run.dispose();
  });
});
