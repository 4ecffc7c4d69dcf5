import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseFileCommands, parseWorkflowCommands, type WorkflowCommand } from './file-commands.ts';
import { node24, repoRoot } from './paths.ts';

/**
 * Runs a built action the way the GitHub runner does: reads its action.yml, applies input
 * defaults as INPUT_<NAME>, hands it fresh file-command files, points the OIDC variables at a
 * token endpoint, runs `main` under Node 24, then `post` (per `post-if`) with the main step's
 * exported variables and STATE_* values. Nothing here is mocked: the action runs the real
 * @actions/core against real files.
 */
export interface ActionMetadata {
  readonly dir: string;
  readonly using: string;
  readonly main: string;
  readonly post: string | undefined;
  readonly postIf: string | undefined;
  readonly inputs: Readonly<Record<string, { default?: string; required?: boolean }>>;
  readonly outputs: readonly string[];
}

export function readActionMetadata(actionDir: string): ActionMetadata {
  const dir = resolve(repoRoot, actionDir);
  const doc = parseYaml(readFileSync(join(dir, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown; required?: boolean }>;
    outputs?: Record<string, unknown>;
    runs: { using: string; main: string; post?: string; 'post-if'?: string };
  };
  const inputs: Record<string, { default?: string; required?: boolean }> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    inputs[name] = {
      ...(spec.default === undefined
        ? {}
        : {
            default: typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default),
          }),
      ...(spec.required === undefined ? {} : { required: spec.required }),
    };
  }
  return {
    dir,
    using: doc.runs.using,
    main: join(dir, doc.runs.main),
    post: doc.runs.post === undefined ? undefined : join(dir, doc.runs.post),
    postIf: doc.runs['post-if'],
    inputs,
    outputs: Object.keys(doc.outputs ?? {}),
  };
}

export interface StepResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly state: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly commands: readonly WorkflowCommand[];
  /** Values registered with `::add-mask::`, in order. */
  readonly masks: readonly string[];
  /** `::error::` messages. */
  readonly errors: readonly string[];
  /** The log as the runner would show it: command lines consumed, masked values as ***. */
  readonly log: string;
}

export interface ActionRun {
  readonly main: StepResult;
  readonly post: StepResult | undefined;
  readonly runnerTemp: string;
  readonly workspace: string;
  /** Removes the job's temp directories. */
  dispose(): void;
}

export interface RunActionOptions {
  readonly inputs?: Readonly<Record<string, string>>;
  /** Extra job environment (e.g. sandbox endpoints). */
  readonly env?: Readonly<Record<string, string>>;
  /** The job's token endpoint; omitted to emulate a job without `id-token: write`. */
  readonly oidc?: { readonly requestUrl: string; readonly requestToken: string } | undefined;
  readonly runPost?: boolean;
  /** Called between main and post, to inspect what main left behind before cleanup. */
  readonly afterMain?: (
    main: StepResult,
    paths: { runnerTemp: string; workspace: string },
  ) => void | Promise<void>;
  readonly timeoutMs?: number;
  /**
   * State for the post step beyond what main saved, as a main step that got further would have
   * saved it (e.g. past an `az login` the sandbox's custom authority never reaches).
   */
  readonly postState?: Readonly<Record<string, string>>;
}

export async function runAction(
  actionDir: string,
  options: RunActionOptions = {},
): Promise<ActionRun> {
  const meta = readActionMetadata(actionDir);
  if (meta.using !== 'node24') throw new Error(`${actionDir} uses ${meta.using}, expected node24`);
  const job = mkdtempSync(join(tmpdir(), 'wif-job-'));
  const runnerTemp = join(job, 'runner-temp');
  const workspace = join(job, 'workspace');
  mkdirSync(runnerTemp, { mode: 0o700 });
  mkdirSync(workspace);

  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs)) {
    const value = options.inputs?.[name] ?? spec.default;
    if (value !== undefined) inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (!(name in meta.inputs))
      throw new Error(`${actionDir} has no input "${name}" (the runner would warn)`);
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }

  const baseEnv: Record<string, string> = {
    PATH: `${dirname(node24)}:/usr/bin:/bin`,
    HOME: job,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'build',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...(options.oidc === undefined
      ? {}
      : {
          ACTIONS_ID_TOKEN_REQUEST_URL: options.oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: options.oidc.requestToken,
        }),
    ...options.env,
  };

  const main = await runStep(
    meta.main,
    job,
    'main',
    { ...baseEnv, ...inputEnv },
    options.timeoutMs,
  );
  await options.afterMain?.(main, { runnerTemp, workspace });
  let post: StepResult | undefined;
  const postAllowed =
    meta.postIf === undefined ||
    meta.postIf === 'always()' ||
    (meta.postIf === 'success()' && main.exitCode === 0);
  if (meta.post !== undefined && (options.runPost ?? true) && postAllowed) {
    const stateEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...main.state, ...options.postState }))
      stateEnv[`STATE_${name}`] = value;
    post = await runStep(
      meta.post,
      job,
      'post',
      { ...baseEnv, ...main.env, ...inputEnv, ...stateEnv },
      options.timeoutMs,
    );
  }
  return {
    main,
    post,
    runnerTemp,
    workspace,
    dispose: () => {
      rmSync(job, { recursive: true, force: true });
    },
  };
}

async function runStep(
  script: string,
  job: string,
  step: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<StepResult> {
  const files = {
    GITHUB_OUTPUT: join(job, `${step}-output`),
    GITHUB_ENV: join(job, `${step}-env`),
    GITHUB_STATE: join(job, `${step}-state`),
    GITHUB_PATH: join(job, `${step}-path`),
    GITHUB_STEP_SUMMARY: join(job, `${step}-summary`),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const { exitCode, stdout, stderr } = await spawnBounded(
    node24,
    [script],
    { ...env, ...files },
    job,
    timeoutMs,
  );
  const commands = parseWorkflowCommands(stdout);
  const masks = commands.filter((c) => c.command === 'add-mask').map((c) => c.value);
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    env: parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')),
    state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    commands,
    masks,
    errors: commands.filter((c) => c.command === 'error').map((c) => c.value),
    log: renderLog(stdout, stderr),
  };
}

/** What the runner prints: `::add-mask::` lines consumed, every masked value replaced. */
function renderLog(stdout: string, stderr: string): string {
  const active: string[] = [];
  const out: string[] = [];
  for (const line of `${stdout}\n${stderr}`.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      active.push(mask[1]!);
      continue;
    }
    let shown = line;
    for (const value of active) if (value !== '') shown = shown.split(value).join('***');
    out.push(shown);
  }
  return out.join('\n');
}

function spawnBounded(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `step ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * Every place a secret shows in what the runner would display or store in plain text: the
 * rendered log, outputs, env, state and the job summary. A secret's only allowed appearance
 * is its own `::add-mask::` line, which must come before any other use.
 */
export function findLeaks(step: StepResult, secret: string): string[] {
  const leaks: string[] = [];
  if (step.log.includes(secret)) leaks.push('log');
  if (step.summary.includes(secret)) leaks.push('job summary');
  for (const [k, v] of Object.entries(step.outputs))
    if (v.includes(secret)) leaks.push(`output ${k}`);
  for (const [k, v] of Object.entries(step.env)) if (v.includes(secret)) leaks.push(`env ${k}`);
  for (const [k, v] of Object.entries(step.state)) if (v.includes(secret)) leaks.push(`state ${k}`);
  const firstMask = step.stdout.indexOf(`::add-mask::${secret}`);
  const firstUse = step.stdout.replace(`::add-mask::${secret}`, '').indexOf(secret);
  if (firstUse !== -1 && (firstMask === -1 || firstUse < firstMask))
    leaks.push('stdout before ::add-mask::');
  if (step.stderr.includes(secret)) leaks.push('stderr');
  return leaks;
}
