/** A finding as the engine reports it: located, fingerprinted, and with its suppression state. */
import type { Invariant, ObjectRef } from './rule.ts';
import type { Severity } from './severity.ts';

export type SuppressionSource = 'annotation' | 'comment' | 'config' | 'baseline';

export interface Suppression {
  readonly by: SuppressionSource;
  readonly reason: string;
  /** Last day it holds (`YYYY-MM-DD`), or null for no expiry. */
  readonly until: string | null;
}

export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly invariants: readonly Invariant[];
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  readonly docsAnchor: string;
  /** Relative to the scan root, `/` separators. */
  readonly file: string;
  /** 1-based line and column of the offending key. */
  readonly line: number;
  readonly column: number;
  readonly object: ObjectRef | null;
  /** Stable across line moves and unrelated edits: rule, file, object and the key's path. */
  readonly fingerprint: string;
  /** The suppression that applies, or null. */
  readonly suppression: Suppression | null;
  /** An expired suppression that no longer applies, shown so the reader knows why it is back. */
  readonly expired: Suppression | null;
}
