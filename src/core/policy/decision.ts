/**
 * The answer every trust-configuration evaluator gives: accepted or not, and the evidence.
 * One trace line per condition the service would check, in the order it checks them, so a
 * reader can see exactly which claim failed and against what.
 */
export type PolicyFormat = 'aws' | 'gcp' | 'azure' | 'vault';

export interface ConditionTrace {
  /** Where the condition lives: a statement Sid, a credential name, a binding member, a role. */
  readonly subject: string;
  /** The claim or request value under test (`token.actions.githubusercontent.com:sub`, `aud`, …). */
  readonly claim: string;
  /** The comparison, named as the service names it (`StringLike`, `matches`, `bound_claims`, …). */
  readonly operator: string;
  /** What the configuration expects, rendered for display (lists as `a | b`). */
  readonly expected: string;
  /** What the token carries, rendered for display; `(absent)` when the claim is missing. */
  readonly actual: string;
  readonly passed: boolean;
  /** Why a condition behaved unexpectedly (absent-key semantics, type mismatch, …). */
  readonly note?: string;
}

export interface PolicyDecision {
  readonly format: PolicyFormat;
  readonly accepted: boolean;
  readonly trace: readonly ConditionTrace[];
  /** The likely cause of a refusal, in one sentence; absent when accepted or nothing stands out. */
  readonly hint?: string;
}

/** How a missing claim is shown in a trace. */
export const ABSENT = '(absent)';

/** Renders any claim value for a trace line without losing its type (numbers stay unquoted). */
export function renderValue(value: unknown): string {
  if (value === undefined) return ABSENT;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => renderValue(item)).join(' | ');
  return JSON.stringify(value);
}

/** Adds `hint` only when there is one (the types use exact optional properties). */
export function withHint<T extends PolicyDecision>(decision: T, hint: string | undefined): T {
  return hint === undefined ? decision : { ...decision, hint };
}
