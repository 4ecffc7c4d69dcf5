/**
 * Walks a GitHub Actions workflow the way the runner reads it: jobs, their steps, the actions
 * those steps use, the triggers and the effective `permissions` of each job. Every item carries
 * its path so a finding points at the key that is wrong.
 */
import { entriesOf, isObject, memoize } from '../../document.ts';
import type { DocPath, PlainObject, ScanDocument } from '../../document.ts';
import type { ObjectRef, ScanContext } from '../../rule.ts';
import { perScan } from './per-scan.ts';

export interface WorkflowStep {
  readonly path: DocPath;
  readonly step: PlainObject;
  /** `name:`, else `step <n>` (1-based), for messages. */
  readonly label: string;
  /** `owner/repo` (lower case, subpath dropped) of `uses:`, when the step uses an action. */
  readonly action: string | undefined;
  /** The ref after `@`, when `uses:` names a remote action. */
  readonly ref: string | undefined;
  /** `with:` inputs; empty when absent. */
  readonly inputs: PlainObject;
  /** `run:` script; empty when absent. */
  readonly run: string;
}

export interface WorkflowJob {
  readonly id: string;
  readonly path: DocPath;
  readonly job: PlainObject;
  readonly object: ObjectRef;
  readonly steps: readonly WorkflowStep[];
}

/** `owner/repo` of an action reference, lower case; undefined for local (`./`) and docker actions. */
export function actionOf(uses: unknown): { action: string; ref: string | undefined } | undefined {
  if (typeof uses !== 'string') return undefined;
  const text = uses.trim();
  if (text.startsWith('./') || text.startsWith('docker://')) return undefined;
  const [target = '', ref] = text.split('@', 2);
  const [owner, repo] = target.split('/');
  if (owner === undefined || repo === undefined || owner === '' || repo === '') return undefined;
  return { action: `${owner}/${repo}`.toLowerCase(), ref };
}

function stepsOf(job: PlainObject, jobPath: DocPath): WorkflowStep[] {
  const raw = job['steps'];
  if (!Array.isArray(raw)) return [];
  const steps: WorkflowStep[] = [];
  (raw as readonly unknown[]).forEach((step, index) => {
    if (!isObject(step)) return;
    const uses = actionOf(step['uses']);
    steps.push({
      path: [...jobPath, 'steps', index],
      step,
      label: typeof step['name'] === 'string' ? step['name'] : `step ${index + 1}`,
      action: uses?.action,
      ref: uses?.ref,
      inputs: isObject(step['with']) ? step['with'] : {},
      run: typeof step['run'] === 'string' ? step['run'] : '',
    });
  });
  return steps;
}

/** Ten rules read each workflow; its jobs are walked once per parsed value. */
export function workflowJobs(workflow: unknown): readonly WorkflowJob[] {
  return isObject(workflow) ? jobsOf(workflow) : [];
}

const jobsOf = memoize((workflow: PlainObject): readonly WorkflowJob[] => {
  const jobs: WorkflowJob[] = [];
  for (const [id, job] of entriesOf(workflow['jobs'])) {
    if (!isObject(job)) continue;
    const path = ['jobs', id];
    jobs.push({
      id,
      path,
      job,
      object: { kind: 'job', name: id, namespace: null },
      steps: stepsOf(job, path),
    });
  }
  return jobs;
});

/**
 * True when `workflow_call` is the workflow's only trigger: a reusable workflow, whose token
 * permissions (absent its own block) and triggering event are its caller's.
 */
export function isReusableOnly(workflow: unknown): boolean {
  const triggers = workflowTriggers(workflow);
  return triggers.size === 1 && triggers.has('workflow_call');
}

export interface ReusableCall {
  /** The calling job (`jobs.<id>.uses:`), which has no steps of its own. */
  readonly job: WorkflowJob;
  /** The `uses:` text, e.g. `./.github/workflows/deploy.yml` or `org/repo/.github/…@v1`. */
  readonly uses: string;
  /** The called workflow when it is local (`./…`) and part of this scan. */
  readonly called: ScanDocument | undefined;
}

/** Workflows of the scan by file, for resolving local `uses: ./.github/workflows/x.yml`. */
function workflowsByFile(context: ScanContext): ReadonlyMap<string, ScanDocument> {
  return new Map(context.byKind('github-workflow').map((document) => [document.file, document]));
}

/**
 * Jobs of `document` that call a reusable workflow, each with the called workflow when the
 * scan holds it. A local `./path` is relative to the repository root, which is where the
 * caller's `.github/workflows/` sits.
 */
export function reusableCalls(
  document: ScanDocument,
  context: ScanContext,
): readonly ReusableCall[] {
  const calls: ReusableCall[] = [];
  for (const job of workflowJobs(document.value)) {
    const uses = job.job['uses'];
    if (typeof uses !== 'string') continue;
    let called: ScanDocument | undefined;
    const local = /^\.\/(.+?)(?:@.*)?$/.exec(uses.trim());
    if (local !== null) {
      const marker = document.file.lastIndexOf('.github/workflows/');
      const root = marker === -1 ? '' : document.file.slice(0, marker);
      called = perScan(context, workflowsByFile).get(`${root}${local[1] ?? ''}`);
    }
    calls.push({ job, uses, called });
  }
  return calls;
}

/** True when some job of the workflow exchanges the job's OIDC token. */
export function exchangesOidc(workflow: unknown): boolean {
  return workflowJobs(workflow).some((job) =>
    job.steps.some((step) => credentialUse(step) === 'oidc'),
  );
}

/** Event names under `on:` (a string, a list or a mapping). */
export function workflowTriggers(workflow: unknown): ReadonlySet<string> {
  const on = isObject(workflow) ? workflow['on'] : undefined;
  if (typeof on === 'string') return new Set([on]);
  if (Array.isArray(on)) {
    return new Set((on as readonly unknown[]).filter((e): e is string => typeof e === 'string'));
  }
  return new Set(entriesOf(on).map(([name]) => name));
}

export interface EffectivePermissions {
  /** Where the block that applies sits, or undefined when neither job nor workflow sets one. */
  readonly path: DocPath | undefined;
  readonly value: unknown;
}

/** A job's `permissions`, else the workflow's: GitHub applies the job's block alone when present. */
export function effectivePermissions(workflow: unknown, job: WorkflowJob): EffectivePermissions {
  if (job.job['permissions'] !== undefined) {
    return { path: [...job.path, 'permissions'], value: job.job['permissions'] };
  }
  if (isObject(workflow) && workflow['permissions'] !== undefined) {
    return { path: ['permissions'], value: workflow['permissions'] };
  }
  return { path: undefined, value: undefined };
}

/** True when a permissions value lets the job request an OIDC token. */
export function grantsIdToken(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return isObject(permissions) && permissions['id-token'] === 'write';
}

const EXPRESSION = /\$\{\{([^}]*)\}\}/g;

/**
 * True when the value reads a stored secret or variable: `secrets.NAME`, `vars.NAME`, or the
 * index syntax `secrets['NAME']` / `secrets[matrix.name]`.
 */
export function readsStoredSecret(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return [...value.matchAll(EXPRESSION)].some((match) =>
    /\b(?:secrets|vars)\s*[.[]/.test(match[1] ?? ''),
  );
}

/** `secrets.NAME` or `secrets['NAME']` inside an expression. */
const SECRET_READ = /\bsecrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*['"]([^'"]+)['"]\s*\])/g;

/** Names of the stored secrets the value reads (`secrets.NAME`, `secrets['NAME']`), upper case. */
export function storedSecretNames(value: unknown): readonly string[] {
  if (typeof value !== 'string' || !value.includes('secrets')) return [];
  const names: string[] = [];
  for (const expression of value.matchAll(EXPRESSION)) {
    for (const read of (expression[1] ?? '').matchAll(SECRET_READ)) {
      names.push((read[1] ?? read[2] ?? '').toUpperCase());
    }
  }
  return names;
}

/**
 * True when the value reads a stored repository or organisation secret. GITHUB_TOKEN is left
 * out: its reach is the job's `permissions`, which other rules judge.
 */
export function readsRepositorySecret(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes('secrets')) return false;
  for (const expression of value.matchAll(EXPRESSION)) {
    for (const read of (expression[1] ?? '').matchAll(SECRET_READ)) {
      if ((read[1] ?? read[2] ?? '').toUpperCase() !== 'GITHUB_TOKEN') return true;
    }
  }
  return false;
}

/** True when the value is a non-empty literal or a stored secret (not derived at run time). */
export function isStaticValue(value: unknown): boolean {
  if (typeof value !== 'string' || value.trim() === '') return false;
  const expressions = [...value.matchAll(EXPRESSION)];
  return expressions.length === 0 || readsStoredSecret(value);
}

/** Our own exchange actions (`<owner>/wif`, `<owner>/wif/actions/<name>`). */
function isWifAction(step: WorkflowStep): boolean {
  const uses = step.step['uses'];
  return typeof uses === 'string' && /^[^/]+\/wif(?:\/|@)/i.test(uses.trim());
}

/**
 * Which credential a step obtains, if any: `oidc` when it exchanges the job's OIDC token,
 * `static` when it logs in with a stored credential.
 */
export function credentialUse(step: WorkflowStep): 'oidc' | 'static' | undefined {
  const inputs = step.inputs;
  switch (step.action) {
    case 'aws-actions/configure-aws-credentials':
      if (inputs['aws-access-key-id'] !== undefined) return 'static';
      if (inputs['web-identity-token-file'] !== undefined) return undefined;
      return inputs['role-to-assume'] !== undefined ? 'oidc' : undefined;
    case 'google-github-actions/auth':
      if (inputs['credentials_json'] !== undefined) return 'static';
      return inputs['workload_identity_provider'] !== undefined ? 'oidc' : undefined;
    case 'azure/login':
      if (inputs['creds'] !== undefined) return 'static';
      return inputs['client-id'] !== undefined ? 'oidc' : undefined;
    case 'hashicorp/vault-action': {
      const method =
        typeof inputs['method'] === 'string' ? inputs['method'].toLowerCase() : 'token';
      if (method === 'jwt') return 'oidc';
      // Kubernetes auth uses the runner pod's projected token: neither OIDC nor a stored secret.
      return method === 'kubernetes' ? undefined : 'static';
    }
    default:
      return isWifAction(step) ? 'oidc' : undefined;
  }
}

export interface EnvEntry {
  readonly path: DocPath;
  readonly name: string;
  readonly value: unknown;
  /** `workflow env`, `job deploy env`, `"Login" env`: for messages. */
  readonly where: string;
  readonly object: ObjectRef | undefined;
}

/** Every `env:` entry of the workflow, its jobs and their steps, with paths. */
export function envEntries(workflow: unknown): readonly EnvEntry[] {
  return isObject(workflow) ? envOf(workflow) : [];
}

const envOf = memoize((workflow: PlainObject): readonly EnvEntry[] => {
  const out: EnvEntry[] = [];
  const add = (map: unknown, path: DocPath, where: string, object: ObjectRef | undefined): void => {
    for (const [name, value] of entriesOf(map)) {
      out.push({ path: [...path, name], name, value, where, object });
    }
  };
  add(workflow['env'], ['env'], 'workflow env', undefined);
  for (const job of workflowJobs(workflow)) {
    add(job.job['env'], [...job.path, 'env'], `job ${job.id} env`, job.object);
    for (const step of job.steps) {
      add(step.step['env'], [...step.path, 'env'], `"${step.label}" env`, job.object);
    }
  }
  return out;
});

const HOSTED_LABEL = /^(?:ubuntu|windows|macos)-[\w.-]+$/;

/**
 * True when `runs-on` names a self-hosted runner: the `self-hosted` label, a runner group, or a
 * custom label. Expressions (`${{ matrix.os }}`) are unknown and count as hosted.
 */
export function runsOnSelfHosted(job: WorkflowJob): boolean {
  const runsOn = job.job['runs-on'];
  if (isObject(runsOn)) return true;
  const labels = (Array.isArray(runsOn) ? (runsOn as readonly unknown[]) : [runsOn]).filter(
    (label): label is string => typeof label === 'string',
  );
  if (labels.some((label) => label.includes('${{'))) return false;
  return labels.some((label) => label === 'self-hosted' || !HOSTED_LABEL.test(label));
}
