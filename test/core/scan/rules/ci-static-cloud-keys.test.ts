import { describe, expect, it } from 'vitest';
import { rule } from '../../../../src/core/scan/rules/ci-static-cloud-keys.ts';
import { active, locations, scanFiles } from '../support/scan-files.ts';

const WORKFLOW = '.github/workflows/deploy.yml';

describe('GHA-01 static AWS keys in a GitHub workflow', () => {
  it('flags configure-aws-credentials given access-key inputs from secrets, at each input', async () => {
    const result = await scanFiles(
      {
        [WORKFLOW]: `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Configure AWS
        uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
`,
      },
      { rules: [rule] },
    );
    expect(locations(result, 'GHA-01')).toEqual([`${WORKFLOW}:13:11`, `${WORKFLOW}:14:11`]);
    expect(active(result)[0]?.object).toEqual({ kind: 'job', name: 'deploy', namespace: null });
    expect(active(result)[0]?.message).toContain('stored secret');
  });

  it('flags AWS keys in workflow-level and job-level env', async () => {
    const result = await scanFiles(
      {
        [WORKFLOW]: `on: push
env:
  AWS_ACCESS_KEY_ID: \${{ secrets.AWS_KEY }}
jobs:
  sync:
    runs-on: ubuntu-latest
    env:
      AWS_SECRET_ACCESS_KEY: \${{ secrets.AWS_SECRET }}
    steps:
      - run: aws s3 sync dist s3://bucket
`,
      },
      { rules: [rule] },
    );
    expect(locations(result, 'GHA-01')).toEqual([`${WORKFLOW}:3:3`, `${WORKFLOW}:8:7`]);
  });

  it('raises a literal access key id in step env to critical and says it is committed', async () => {
    const result = await scanFiles(
      {
        [WORKFLOW]: `on: push
jobs:
  upload:
    runs-on: ubuntu-latest
    steps:
      - name: upload
        run: aws s3 cp a s3://b
        env:
          AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
`,
      },
      { rules: [rule] },
    );
    const [finding] = active(result);
    expect(finding?.severity).toBe('critical');
    expect(finding?.message).toContain('literal AWS access key');
    expect(`${finding?.line}:${finding?.column}`).toBe('9:11');
  });

  it('accepts OIDC federation with role-to-assume', async () => {
    const result = await scanFiles(
      {
        [WORKFLOW]: `on: push
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1
`,
      },
      { rules: [rule] },
    );
    expect(result.findings).toEqual([]);
  });

  it('accepts keys derived at run time from an earlier OIDC step', async () => {
    const result = await scanFiles(
      {
        [WORKFLOW]: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - id: creds
        uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: arn:aws:iam::123456789012:role/deploy, aws-region: eu-west-1, output-credentials: true }
      - run: ./publish.sh
        env:
          AWS_ACCESS_KEY_ID: \${{ steps.creds.outputs.aws-access-key-id }}
          AWS_SECRET_ACCESS_KEY: \${{ steps.creds.outputs.aws-secret-access-key }}
`,
      },
      { rules: [rule] },
    );
    expect(result.findings).toEqual([]);
  });

  it('keeps two findings of one rule in one file distinct by job', async () => {
    const job = (name: string): string => `  ${name}:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: \${{ secrets.K }}
    steps: [{ run: "true" }]
`;
    const result = await scanFiles(
      { [WORKFLOW]: `on: push\njobs:\n${job('a')}${job('b')}` },
      { rules: [rule] },
    );
    const fingerprints = active(result).map((finding) => finding.fingerprint);
    expect(fingerprints).toHaveLength(2);
    expect(new Set(fingerprints).size).toBe(2);
  });

  it('does not look at YAML outside .github/workflows that merely has jobs', async () => {
    const result = await scanFiles(
      {
        'docs/example.yml': `jobs:\n  x:\n    env:\n      AWS_ACCESS_KEY_ID: \${{ secrets.K }}\n`,
      },
      { rules: [rule] },
    );
    expect(result.findings).toEqual([]);
  });
});

describe('GHA-01 reads secrets in index syntax and through reusable-workflow calls', () => {
  const CALLED = '.github/workflows/release.yml';
  /** A reusable workflow that logs in to AWS with stored keys. */
  const keyedRelease = `on: workflow_call
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
`;
  /** A reusable workflow that federates through OIDC and reads only a package token. */
  const federatedRelease = `on: workflow_call
permissions: { contents: read, id-token: write }
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: arn:aws:iam::123456789012:role/release, aws-region: eu-west-1 }
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`;
  /** Scans a caller passing `secrets: inherit` to `uses`, next to the called workflow if given. */
  const scanInheriting = (uses: string, called?: string) =>
    scanFiles(
      {
        [WORKFLOW]: `on: push\njobs:\n  release:\n    uses: ${uses}\n    secrets: inherit\n`,
        ...(called === undefined ? {} : { [CALLED]: called }),
      },
      { rules: [rule] },
    );

  it("flags AWS keys read as secrets['NAME'] in env and in action inputs", async () => {
    const result = await scanFiles(
      {
        [WORKFLOW]: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      AWS_SECRET_ACCESS_KEY: \${{ secrets['AWS_SECRET_ACCESS_KEY'] }}
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets[ "AWS_KEY_ID" ] }}
          aws-region: eu-west-1
`,
      },
      { rules: [rule] },
    );
    expect(locations(result, 'GHA-01')).toEqual([`${WORKFLOW}:6:7`, `${WORKFLOW}:10:11`]);
    expect(active(result).every((finding) => finding.message.includes('stored secret'))).toBe(true);
  });

  it('flags a caller handing AWS keys to a reusable workflow by name, at each secrets key', async () => {
    const result = await scanFiles(
      {
        [WORKFLOW]: `on: push
jobs:
  release:
    uses: example/pipelines/.github/workflows/release.yml@v2
    secrets:
      AWS_ACCESS_KEY_ID: \${{ secrets.AWS_ACCESS_KEY_ID }}
      deploy-secret: \${{ secrets['AWS_SECRET_ACCESS_KEY'] }}
      NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`,
      },
      { rules: [rule] },
    );
    expect(locations(result, 'GHA-01')).toEqual([`${WORKFLOW}:6:7`, `${WORKFLOW}:7:7`]);
    expect(active(result)[0]?.object).toEqual({ kind: 'job', name: 'release', namespace: null });
    expect(active(result)[0]?.message).toContain('example/pipelines/.github/workflows/release.yml');
  });

  it('flags `secrets: inherit` when the called workflow in the scan reads an AWS key', async () => {
    const result = await scanInheriting('./.github/workflows/release.yml', keyedRelease);
    // The caller's hand-over, and the called workflow's own inputs.
    expect(locations(result, 'GHA-01')).toEqual([
      `${WORKFLOW}:5:5`,
      `${CALLED}:8:11`,
      `${CALLED}:9:11`,
    ]);
    expect(active(result)[0]?.message).toContain('AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY');
  });

  it('accepts `secrets: inherit` to a federating workflow, and to one outside the scan', async () => {
    const local = await scanInheriting('./.github/workflows/release.yml', federatedRelease);
    expect(local.findings).toEqual([]);
    const remote = await scanInheriting('example/pipelines/.github/workflows/release.yml@v2');
    expect(remote.findings).toEqual([]);
  });
});
