/**
 * GL-03: a GitLab CI file hands a job static cloud or Vault credentials, in `variables:`
 * (global, `default:` or job level) or by exporting them in a script from a stored variable.
 * Exporting what a login just returned (`$(vault write …)`) is the OIDC pattern and passes.
 */
import type { DocPath } from '../document.ts';
import { isObject } from '../document.ts';
import type { ObjectRef, RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { gitlabJobs, globalScriptLines, scriptLines, variablesAt } from './support/gitlab-ci.ts';

const SECRET_NAMES = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'VAULT_TOKEN',
  'AZURE_CLIENT_SECRET',
  'ARM_CLIENT_SECRET',
  'GOOGLE_CREDENTIALS',
]);
const LITERAL_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;
/** A service-account key file's content, as pasted into a variable. */
const SA_KEY_JSON = /"type"\s*:\s*"service_account"|"private_key"\s*:/;
/** Every export of a credential variable in a script item (a `- |` item holds many lines). */
const EXPORT =
  /\bexport\s+(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|VAULT_TOKEN|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET|GOOGLE_CREDENTIALS|GOOGLE_APPLICATION_CREDENTIALS)=(\S*)/g;
/**
 * A value that is nothing but a project or group CI/CD variable (`$GCP_SA_KEY_FILE`): GitLab's
 * predefined `CI_*`/`GITLAB_*` variables are not stored secrets.
 */
const STORED_VARIABLE = /^["']?\$\{?(?!CI_|GITLAB_)[A-Za-z_][A-Za-z0-9_]*\}?["']?$/;
/** `echo "$KEY" | base64 -d > /tmp/key.json`, `printf '%s' "$KEY" > key.json`: a stored variable written to a file. */
const WRITES_VARIABLE_TO_FILE =
  /\$\{?((?!CI_|GITLAB_)[A-Za-z_][A-Za-z0-9_]*)\}?["']?[^>\n]*>\s*["']?([^\s"'|;&]+)/g;

const NO_FILES: ReadonlySet<string> = new Set();

function unquoted(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}

/**
 * GOOGLE_APPLICATION_CREDENTIALS names a file: it is static when it holds a pasted key, is a
 * stored (file-type) variable, or is a file the job just wrote a stored variable into. A path
 * that a workload-identity login wrote (`gcloud iam workload-identity-pools create-cred-config`)
 * is none of these.
 */
function isStatic(name: string, value: unknown, keyFiles: ReadonlySet<string>): boolean {
  if (typeof value !== 'string' || value.trim() === '') return false;
  if (name === 'GOOGLE_APPLICATION_CREDENTIALS') {
    return SA_KEY_JSON.test(value) || STORED_VARIABLE.test(value) || keyFiles.has(unquoted(value));
  }
  return true;
}

/** Files the lines write a stored variable into; the job's own `id_tokens` are not stored. */
function filesWrittenFromVariables(
  lines: readonly { line: string }[],
  idTokens: unknown,
): Set<string> {
  const tokens = new Set(isObject(idTokens) ? Object.keys(idTokens) : []);
  const files = new Set<string>();
  for (const { line } of lines) {
    for (const match of line.matchAll(WRITES_VARIABLE_TO_FILE)) {
      const [, variable, file] = match;
      if (variable !== undefined && file !== undefined && !tokens.has(variable)) files.add(file);
    }
  }
  return files;
}

export const rule = defineRule({
  meta: {
    id: 'GL-03',
    title: 'Static cloud or Vault credentials in GitLab CI',
    invariants: ['INV-2', 'INV-5'],
    severity: 'critical',
    appliesTo: ['gitlab-ci'],
    message:
      'The pipeline passes static cloud or Vault credentials instead of an `id_tokens:` exchange.',
    fix: 'Request an `id_tokens:` token and exchange it (AssumeRoleWithWebIdentity, GCP WIF, Azure federated credential, Vault JWT login); then delete the stored key and revoke it.',
    docsAnchor: 'gl-03',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    const add = (
      path: DocPath,
      name: string,
      value: unknown,
      where: string,
      object?: ObjectRef,
    ): void => {
      const literal = typeof value === 'string' && LITERAL_KEY_ID.test(value);
      findings.push({
        path,
        message: literal
          ? `${name} in ${where} is a literal AWS access key committed to the repository.`
          : `${name} in ${where} passes a static credential instead of an id_tokens exchange.`,
        ...(object === undefined ? {} : { object }),
      });
    };
    const checkVariables = (
      variables: unknown,
      path: DocPath,
      where: string,
      object?: ObjectRef,
    ): void => {
      for (const entry of variablesAt(variables, path)) {
        if (!SECRET_NAMES.has(entry.name) && entry.name !== 'GOOGLE_APPLICATION_CREDENTIALS')
          continue;
        if (isStatic(entry.name, entry.value, NO_FILES))
          add(entry.path, entry.name, entry.value, where, object);
      }
    };
    const file = document.value;
    if (isObject(file)) {
      checkVariables(file['variables'], ['variables'], 'global variables');
      if (isObject(file['default'])) {
        checkVariables(file['default']['variables'], ['default', 'variables'], 'default variables');
      }
    }
    const exported = (
      line: { path: DocPath; line: string },
      where: string,
      keyFiles: ReadonlySet<string>,
      object?: ObjectRef,
    ): void => {
      for (const match of line.line.matchAll(EXPORT)) {
        const name = match[1];
        const value = match[2] ?? '';
        // `$(…)` and backticks capture what a login printed: derived at run time, not stored.
        if (name === undefined || value === '' || value.includes('$(') || value.includes('`'))
          continue;
        if (!isStatic(name, value, keyFiles)) continue;
        add(line.path, name, value, where, object);
      }
    };
    const globalLines = globalScriptLines(file);
    const globalKeyFiles = filesWrittenFromVariables(globalLines, undefined);
    for (const line of globalLines) exported(line, 'a global script', globalKeyFiles);
    for (const job of gitlabJobs(file)) {
      checkVariables(
        job.job['variables'],
        [...job.path, 'variables'],
        `job ${job.name} variables`,
        job.object,
      );
      const lines = scriptLines(job);
      const keyFiles = filesWrittenFromVariables(lines, job.job['id_tokens']);
      for (const line of lines) exported(line, `job ${job.name} script`, keyFiles, job.object);
    }
    return findings;
  },
});
