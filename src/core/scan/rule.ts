/**
 * The rule contract. A rule is metadata (data, read by the engine, the reporters and the docs
 * generator) plus a pure check function. Rules never resolve positions, read files or apply
 * suppressions: they return paths into the document, and the engine does the rest.
 */
import type { ScanConfig } from './config.ts';
import type {
  DocPath,
  DocumentKind,
  K8sDocument,
  ScanDocument,
  ScanDocumentOf,
} from './document.ts';
import type { Severity } from './severity.ts';

export type { Severity } from './severity.ts';

/** An invariant id from INVARIANTS.md, e.g. `INV-2`. */
export type Invariant = `INV-${number}`;

export interface RuleMeta {
  /** Stable id, upper case, e.g. `K8S-01`, `GHA-01`, `CLD-03`. Never reused. */
  readonly id: string;
  /** Short title for listings and SARIF `shortDescription`. */
  readonly title: string;
  readonly invariants: readonly Invariant[];
  /** Default severity; a finding may raise or lower it, `.wif.yaml` may override it. */
  readonly severity: Severity;
  /** Document kinds the engine offers to this rule. */
  readonly appliesTo: readonly DocumentKind[];
  /** For `k8s` documents: only these `kind`s (e.g. `['Secret']`). Absent: every object. */
  readonly k8sKinds?: readonly string[];
  /** What is wrong, one sentence; the default finding message. */
  readonly message: string;
  /** How to fix it, one sentence. */
  readonly fix: string;
  /** Anchor in docs/rules.md, lower case, e.g. `k8s-01`. */
  readonly docsAnchor: string;
  /**
   * Checks of the invariant catalogue (INVARIANTS.md §3) this rule implements besides its own
   * id, where the catalogue lists one check twice (TKN-03 is K8S-14 on a Tekton step): one
   * finding, not two, and the docs say where the other id went.
   */
  readonly covers?: readonly string[];
}

/** The object a finding is about, as the JSON report shows it. */
export interface ObjectRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
}

export interface RuleFinding {
  /** Path to the offending key in `document.value`; the report points at that key. */
  readonly path: DocPath;
  /** A message specific to this finding; defaults to `RuleMeta.message`. */
  readonly message?: string;
  /** Raises or lowers the rule's default severity for this finding (e.g. an explicit `true`). */
  readonly severity?: Severity;
  /**
   * The object or step the finding is about, when it is not the Kubernetes object itself, e.g.
   * `{ kind: 'job', name: 'deploy', namespace: null }` in a workflow or
   * `{ kind: 'aws_iam_role', name: 'deploy', namespace: null }` in Terraform. It is part of the
   * fingerprint, so two findings of one rule in one file stay distinct.
   */
  readonly object?: ObjectRef;
}

/** A trust policy found anywhere in the scan, for cross-file rules (IRSA ↔ role trust). */
export interface TrustPolicy {
  /** The role's name (after `role/`, path included), when known. */
  readonly roleName: string | null;
  /** The role's ARN, when the source states it (e.g. `aws iam get-role` output). */
  readonly roleArn: string | null;
  /** The policy document as plain JSON (`{ Version, Statement }`), jsonencode/HCL decoded. */
  readonly policy: unknown;
  readonly document: ScanDocument;
  /** Where the policy sits in `document.value` (for Terraform: the `assume_role_policy` key). */
  readonly path: DocPath;
  /**
   * Terraform `dynamic "condition"` blocks (paths in `document.value`) whose `for_each` is
   * computed: the policy has conditions the scanner cannot see. Absent when there are none.
   */
  readonly unresolvedConditions?: readonly DocPath[];
}

/** Cross-file lookups over the whole scan, plus the configuration. Built once per scan. */
export interface ScanContext {
  readonly config: ScanConfig;
  readonly documents: readonly ScanDocument[];
  byKind<K extends DocumentKind>(kind: K): readonly ScanDocumentOf<K>[];
  /** Kubernetes objects of one `kind`, e.g. `k8sObjects('ServiceAccount')`. */
  k8sObjects(k8sKind: string): readonly K8sDocument[];
  /** One Kubernetes object by kind, namespace (null for cluster-scoped or unset) and name. */
  k8sObject(k8sKind: string, namespace: string | null, name: string): K8sDocument | undefined;
  /** True when `namespace` is one of the configured platform namespaces. */
  isPlatformNamespace(namespace: string | null): boolean;
  /** Every trust policy in the scan (IAM JSON, `aws iam get-role` output, Terraform roles). */
  trustPolicies(): readonly TrustPolicy[];
  /** Trust policies of one role, matched by ARN, or by role name when the source has no ARN. */
  trustPoliciesForRole(roleArnOrName: string): readonly TrustPolicy[];
  /**
   * The value of a Terraform `${jsonencode(…)}` string (as `@cdktf/hcl2json` leaves it), when its
   * argument is a literal; references inside come back as `${…}` strings. Undefined otherwise.
   */
  decodeJsonencode(expression: string): unknown;
  /**
   * A per-scan cache for indexes cross-file rules build over the whole scan (e.g. workloads by
   * ServiceAccount): `compute` runs once per `key` and scan. Without it, a rule that looks at
   * every other document from every document is quadratic. Use the rule id as a key prefix.
   */
  memo<T>(key: string, compute: () => T): T;
}

export type RuleCheck = (document: ScanDocument, context: ScanContext) => readonly RuleFinding[];

export interface Rule {
  readonly meta: RuleMeta;
  readonly check: RuleCheck;
}

/** Identity helper that keeps a rule module's literal types checked against the contract. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
