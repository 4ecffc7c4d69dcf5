import type { WorkspaceGuard } from './workspace.ts';

/**
 * What an exchange produces: named values, each marked secret or not, with an expiry, and a
 * plan saying where each value goes (variables, outputs, files). Sinks carry the plan out the
 * way their platform expects; nothing else decides where a credential ends up.
 */
export interface CredentialValue {
  /** Logical name, stable across platforms (e.g. `access-key-id`, `token`). */
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
  readonly expiresAt?: Date | undefined;
}

/** A value exported as an environment variable or a step output. */
export interface PlannedValue {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
}

/** A file to write (0600, in the credential directory); its path can be exported too. */
export interface PlannedFile {
  /** A bare file name; never a path. */
  readonly fileName: string;
  readonly content: string;
  /**
   * For a JSON file that names a sibling by its absolute path (a GCP external_account JSON
   * naming its token file): the text in `content` that stands for the credential directory,
   * which the sink fills in once the directory exists (`fileContentIn`). Such a file must not
   * be secret. Data rather than a function, so a credential set survives a structured clone
   * (it comes back from a worker thread).
   */
  readonly directoryPlaceholder?: string;
  /** The credential directory must lie outside the job's checkout (checked by the sink). */
  readonly outsideWorkspace?: WorkspaceGuard;
  readonly secret: boolean;
  /** Environment variables that receive the file's path. */
  readonly pathEnv: readonly string[];
  /** Outputs that receive the file's path. */
  readonly pathOutputs: readonly string[];
}

export interface ExportPlan {
  readonly env: readonly PlannedValue[];
  readonly outputs: readonly PlannedValue[];
  readonly files: readonly PlannedFile[];
  /**
   * Wherever a sink writes this set to disk — its files, or an env file of its variables and
   * outputs — must lie outside the job's checkout (checked by the sink, like a file's own guard).
   */
  readonly outsideWorkspace?: WorkspaceGuard;
}

export interface CredentialSet {
  /** Which target produced it, e.g. `token`, `aws`, `aws:prod`. */
  readonly target: string;
  /** One human line: "OIDC token for sts.amazonaws.com". */
  readonly label: string;
  readonly values: readonly CredentialValue[];
  readonly plan: ExportPlan;
}

/** Every secret string a sink must mask before writing anything. */
export function secretsOf(set: CredentialSet): string[] {
  const secrets = new Set<string>();
  for (const v of set.values) if (v.secret) secrets.add(v.value);
  for (const v of [...set.plan.env, ...set.plan.outputs]) if (v.secret) secrets.add(v.value);
  for (const f of set.plan.files) if (f.secret) secrets.add(f.content);
  return [...secrets].filter((s) => s !== '');
}

/** The earliest expiry among the values, which is when the set stops working. */
export function expiryOf(set: CredentialSet): Date | undefined {
  let earliest: Date | undefined;
  for (const v of set.values) {
    if (v.expiresAt !== undefined && (earliest === undefined || v.expiresAt < earliest))
      earliest = v.expiresAt;
  }
  return earliest;
}

/** Rows for a job summary: names and expiry, never values. */
export interface SummaryRow {
  readonly target: string;
  readonly label: string;
  readonly names: readonly string[];
  readonly expiresAt: Date | undefined;
}

export function summaryRowOf(set: CredentialSet): SummaryRow {
  return {
    target: set.target,
    label: set.label,
    names: [
      ...set.plan.env.map((v) => `$${v.name}`),
      ...set.plan.outputs.map((v) => `outputs.${v.name}`),
      ...set.plan.files.map((f) => f.fileName),
    ],
    expiresAt: expiryOf(set),
  };
}
