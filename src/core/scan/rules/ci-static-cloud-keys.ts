/**
 * GHA-01: a GitHub workflow hands static AWS access keys to a job, through `env:` (workflow,
 * job or step level) or through action inputs such as configure-aws-credentials'
 * `aws-access-key-id`, or through the `secrets:` a job hands a reusable workflow. OIDC federation (`role-to-assume` with `id-token: write`) needs no key.
 */
import { entriesOf, isObject, memoize, walk } from '../document.ts';
import type { DocPath } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { readsStoredSecret, reusableCalls, storedSecretNames } from './support/github-workflow.ts';
import type { ReusableCall } from './support/github-workflow.ts';

const KEY_ENV_NAMES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
const KEY_INPUT_NAMES = new Set(['aws-access-key-id', 'aws-secret-access-key']);
/** An access key id written into the file itself: a live credential in Git. */
const LITERAL_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;

type Source = 'literal' | 'stored' | 'derived';

/**
 * Where a value comes from. `secrets.*`, `secrets['…']` and `vars.*` are stored, long-lived
 * values; anything else inside `${{ }}` (step outputs, env of an earlier OIDC step) is derived
 * at run time.
 */
function sourceOf(value: unknown): Source | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (readsStoredSecret(value)) return 'stored';
  return value.includes('${{') ? 'derived' : 'literal';
}

/** True when a stored secret of that name holds an AWS access key. */
function isKeySecretName(name: string): boolean {
  return KEY_ENV_NAMES.has(name.toUpperCase());
}

/** Every stored secret a workflow reads anywhere, by name; computed once per workflow. */
const secretsReadBy = memoize((workflow: object): ReadonlySet<string> => {
  const names = new Set<string>();
  walk(workflow, ({ value }) => {
    for (const name of storedSecretNames(value)) names.add(name);
  });
  return names;
});

/**
 * A job calling a reusable workflow hands it secrets: by name (`secrets: { AWS_…: … }`, or a
 * value reading an AWS key secret) or all of them (`secrets: inherit`), which matters when the
 * called workflow, found in this scan, reads an AWS key.
 */
function checkReusableCall(call: ReusableCall): RuleFinding[] {
  const { job } = call;
  const secrets = job.job['secrets'];
  const path = [...job.path, 'secrets'];
  if (secrets === 'inherit') {
    const called = call.called?.value;
    if (!isObject(called)) return [];
    const keys = [...secretsReadBy(called)].filter(isKeySecretName);
    if (keys.length === 0) return [];
    return [
      {
        path,
        message: `Job ${job.id} passes every secret to ${call.uses} (\`secrets: inherit\`), which reads the static AWS key ${keys.join(', ')} instead of OIDC federation.`,
        object: job.object,
      },
    ];
  }
  const findings: RuleFinding[] = [];
  for (const [name, value] of entriesOf(secrets)) {
    const source = sourceOf(value);
    if (source === undefined || source === 'derived') continue;
    if (!isKeySecretName(name) && !storedSecretNames(value).some(isKeySecretName)) continue;
    findings.push({
      path: [...path, name],
      message: describe(name, `the secrets job ${job.id} passes to ${call.uses}`, source, value),
      ...(typeof value === 'string' && LITERAL_KEY_ID.test(value)
        ? { severity: 'critical' as const }
        : {}),
      object: job.object,
    });
  }
  return findings;
}

function describe(name: string, where: string, source: Source, value: unknown): string {
  if (source === 'literal' && typeof value === 'string' && LITERAL_KEY_ID.test(value)) {
    return `${name} in ${where} is a literal AWS access key committed to the repository.`;
  }
  const origin = source === 'stored' ? 'a stored secret' : 'a literal value';
  return `${name} in ${where} passes a static AWS key from ${origin} instead of OIDC federation.`;
}

function checkMap(
  map: unknown,
  path: DocPath,
  names: ReadonlySet<string>,
  where: string,
  object: RuleFinding['object'],
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [name, value] of entriesOf(map)) {
    if (!names.has(name)) continue;
    const source = sourceOf(value);
    if (source === undefined || source === 'derived') continue;
    const literalKey = typeof value === 'string' && LITERAL_KEY_ID.test(value);
    findings.push({
      path: [...path, name],
      message: describe(name, where, source, value),
      ...(literalKey ? { severity: 'critical' as const } : {}),
      ...(object === undefined ? {} : { object }),
    });
  }
  return findings;
}

export const rule = defineRule({
  meta: {
    id: 'GHA-01',
    title: 'Static AWS keys in a GitHub workflow',
    invariants: ['INV-5', 'INV-2'],
    severity: 'critical',
    appliesTo: ['github-workflow'],
    message: 'The workflow passes static AWS access keys instead of OIDC federation.',
    fix: 'Grant `id-token: write` and use aws-actions/configure-aws-credentials with `role-to-assume`; then delete the keys from the repository secrets and deactivate them in IAM.',
    docsAnchor: 'gha-01',
  },
  check(document, context) {
    const workflow = document.value;
    const findings = checkMap(
      isObject(workflow) ? workflow['env'] : undefined,
      ['env'],
      KEY_ENV_NAMES,
      'workflow env',
      undefined,
    );
    const jobs = isObject(workflow) ? workflow['jobs'] : undefined;
    for (const [jobId, job] of entriesOf(jobs)) {
      if (!isObject(job)) continue;
      const object = { kind: 'job', name: jobId, namespace: null };
      const jobPath = ['jobs', jobId];
      findings.push(
        ...checkMap(job['env'], [...jobPath, 'env'], KEY_ENV_NAMES, `job ${jobId} env`, object),
      );
      const steps = Array.isArray(job['steps']) ? (job['steps'] as readonly unknown[]) : [];
      steps.forEach((step, index) => {
        if (!isObject(step)) return;
        const stepPath = [...jobPath, 'steps', index];
        const label = typeof step['name'] === 'string' ? step['name'] : `step ${index + 1}`;
        findings.push(
          ...checkMap(step['env'], [...stepPath, 'env'], KEY_ENV_NAMES, `"${label}" env`, object),
          ...checkMap(
            step['with'],
            [...stepPath, 'with'],
            KEY_INPUT_NAMES,
            `"${label}" inputs`,
            object,
          ),
        );
      });
    }
    for (const call of reusableCalls(document, context)) findings.push(...checkReusableCall(call));
    return findings;
  },
});
