/**
 * The document model shared by the loader, the classifier, the rules and the reporters.
 *
 * A `ScanDocument` is one parsed object: one YAML document of a multi-document file, one JSON
 * file, or one HCL file. Its `value` is plain JavaScript (what `JSON.parse` would give), so rules
 * never see a parser's node types. Positions are not computed while loading: a rule reports a
 * `DocPath` and the engine resolves it to a line and column only for documents with findings.
 */

export type SourceFormat = 'yaml' | 'json' | 'hcl';

/** One step into a parsed value: a mapping key or a sequence index. */
export type PathSegment = string | number;
/** A JSON-pointer-like path into `ScanDocument.value`, e.g. `['spec', 'template', 'spec']`. */
export type DocPath = readonly PathSegment[];

/** A 1-based line and column in the source text. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A file (or stdin, or rendered chart output) as read from disk, shared by its documents. */
export interface SourceFile {
  /** Path relative to the scan root with `/` separators; `<stdin>` for standard input. */
  readonly path: string;
  readonly format: SourceFormat;
  readonly text: string;
  /**
   * Where each document sits in `text` when the loader had to split a YAML stream itself
   * (a stream where one document does not parse); `ScanDocument.index` indexes this list.
   */
  readonly documentSlices?: readonly { readonly start: number; readonly end: number }[];
}

/** Which family a Kubernetes object belongs to; lets rules select objects without kind lists. */
export type K8sFamily =
  | 'workload' // anything carrying a pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)
  | 'service-account'
  | 'secret'
  | 'config-map'
  | 'rbac' // Role, ClusterRole, RoleBinding, ClusterRoleBinding
  | 'namespace'
  | 'external-secrets' // external-secrets.io: ExternalSecret, SecretStore, ClusterSecretStore, …
  | 'linkerd' // policy.linkerd.io, linkerd.io
  | 'istio' // *.istio.io
  | 'argocd' // argoproj.io
  | 'flux' // *.toolkit.fluxcd.io
  | 'tekton' // tekton.dev
  | 'spire' // spire.spiffe.io: ClusterSPIFFEID, ClusterStaticEntry, ClusterFederatedTrustDomain
  | 'kargo' // kargo.akuity.io
  | 'gateway' // gateway.networking.k8s.io (HTTPRoute, …)
  | 'other';

export interface K8sClassification {
  readonly kind: 'k8s';
  readonly apiVersion: string;
  /** The object's `kind`, e.g. `Deployment`. */
  readonly k8sKind: string;
  readonly family: K8sFamily;
  /** `metadata.name`; empty when absent (generateName, or a malformed object). */
  readonly name: string;
  /** `metadata.namespace`; null when the manifest does not set it. */
  readonly namespace: string | null;
}

/**
 * What a document is. Rules declare the kinds they apply to; the engine only calls a rule with
 * documents of those kinds.
 */
export type Classification =
  | K8sClassification
  | { readonly kind: 'github-workflow' } // .github/workflows/*.yml
  | { readonly kind: 'github-action' } // action.yml / action.yaml metadata
  | { readonly kind: 'gitlab-ci' } // .gitlab-ci.yml and included CI files
  | { readonly kind: 'aws-iam-policy' } // a policy document ({Version, Statement}) or `aws iam get-role` output
  | { readonly kind: 'terraform' } // *.tf / *.tf.json
  | { readonly kind: 'vault-policy' } // Vault ACL policy HCL or JSON (`path "…" { capabilities = […] }`)
  | { readonly kind: 'vault-role' } // Vault auth role JSON (K8s, JWT or AppRole role payload)
  | { readonly kind: 'vault-agent-config' } // Vault Agent HCL (`auto_auth`)
  | { readonly kind: 'spire-config'; readonly component: 'server' | 'agent' }
  | { readonly kind: 'spire-entries' } // `spire-server entry show -output json`, or our registration input
  | { readonly kind: 'spire-helm-values' } // values for the spiffe/helm-charts-hardened `spire` chart
  | { readonly kind: 'unknown' };

export type DocumentKind = Classification['kind'];

export interface ScanDocument {
  readonly source: SourceFile;
  /** Same as `source.path`: relative to the scan root, `/` separators. */
  readonly file: string;
  readonly format: SourceFormat;
  /** Position of this document in its file (0 for JSON and HCL). */
  readonly index: number;
  /**
   * Set when this document is item `listItem` of a Kubernetes list (`kind: List`, as
   * `kubectl get -o yaml` prints, or a typed `SecretList`) at document `index`: `value` is the
   * item, and paths into it sit under `['items', listItem]` in the text.
   */
  readonly listItem?: number;
  /** The parsed value as plain JavaScript. */
  readonly value: unknown;
  readonly classification: Classification;
  /**
   * Configuration files this document carries as strings, parsed and classified like files of
   * their own: a SPIRE `server.conf` (HCL or JSON) in a ConfigMap's `data`. Set only when there
   * is one; rules that read such files look here too.
   */
  readonly embedded?: readonly EmbeddedDocument[];
}

/** A configuration file inside a string of a document, e.g. `data["server.conf"]`. */
export interface EmbeddedDocument {
  /** Where the string sits in the carrying document's `value`; paths into `value` extend it. */
  readonly path: DocPath;
  readonly value: unknown;
  readonly classification: Classification;
}

/** A document whose classification is known to be of kind `K`. */
export type ScanDocumentOf<K extends DocumentKind> = ScanDocument & {
  readonly classification: Extract<Classification, { kind: K }>;
};

export type K8sDocument = ScanDocumentOf<'k8s'>;

/** Where a rule's path into `document.value` sits in the document as the file holds it. */
export function sourcePath(document: Pick<ScanDocument, 'listItem'>, path: DocPath): DocPath {
  return document.listItem === undefined ? path : ['items', document.listItem, ...path];
}

/**
 * Whether this document stands for one document of its file, for counting them: the items of
 * one list share the list's `index`, and only the first of them counts.
 */
export function isFileDocument(document: Pick<ScanDocument, 'listItem'>): boolean {
  return document.listItem === undefined || document.listItem === 0;
}

export function isKind<K extends DocumentKind>(
  document: ScanDocument,
  kind: K,
): document is ScanDocumentOf<K> {
  return document.classification.kind === kind;
}

// ---- Plain-value helpers rules use to read `value` without casts. ----

export type PlainObject = Readonly<Record<string, unknown>>;

/** The cached result `undefined` in a memoize cache. */
const NOTHING: unique symbol = Symbol('nothing');

/**
 * A view derived from a document (or from an object inside one), computed once per scan: a
 * dozen rules ask each workload for its pod template and containers, and each Secret for its
 * decoded data. Keys are held weakly, so nothing outlives the scan that parsed it. Callers get
 * readonly results and must treat them as shared.
 */
export function memoize<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  // A cached `undefined` is stored as a marker, so it is one lookup like any other result,
  // without a box allocated per entry (thousands per scan).
  const cache = new WeakMap<K, V | typeof NOTHING>();
  return (key) => {
    const hit = cache.get(key);
    if (hit === NOTHING) return undefined as V;
    if (hit !== undefined) return hit;
    const value = compute(key);
    cache.set(key, value === undefined ? NOTHING : value);
    return value;
  };
}

/**
 * The sequences written as GitLab CI's `!reference [.job, key]`: plain arrays, as rules expect,
 * whose items name where the content lives rather than being content (script lines, say).
 * Held weakly, like views, and asked only by GitLab rules.
 */
const gitlabReferences = new WeakSet<readonly unknown[]>();

export function markGitlabReference<T extends unknown[]>(items: T): T {
  gitlabReferences.add(items);
  return items;
}

export function isGitlabReference(value: unknown): boolean {
  return Array.isArray(value) && gitlabReferences.has(value as readonly unknown[]);
}

export function isObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value at `path`, or undefined when any step is missing or of the wrong shape. The most
 * called function of a scan, and mostly before the JIT has optimized it: an indexed loop, since
 * `for…of` costs an iterator per call in unoptimized code.
 */
export function getAt(value: unknown, path: DocPath): unknown {
  let current: unknown = value;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index] as PathSegment;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = (current as readonly unknown[])[segment];
    } else {
      if (!isObject(current) || !Object.hasOwn(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

export function stringAt(value: unknown, path: DocPath): string | undefined {
  const found = getAt(value, path);
  return typeof found === 'string' ? found : undefined;
}

export function objectAt(value: unknown, path: DocPath): PlainObject | undefined {
  const found = getAt(value, path);
  return isObject(found) ? found : undefined;
}

export function arrayAt(value: unknown, path: DocPath): readonly unknown[] {
  const found = getAt(value, path);
  return Array.isArray(found) ? (found as readonly unknown[]) : [];
}

/** Entries of a mapping in source order (empty for anything that is not a mapping). */
export function entriesOf(value: unknown): readonly (readonly [string, unknown])[] {
  return isObject(value) ? Object.entries(value) : [];
}

/**
 * Upper bound on nodes visited by `walk`. YAML aliases make a document a graph whose expansion
 * can be exponential (a "billion laughs"); a bounded walk keeps every rule linear in the input.
 */
export const WALK_NODE_BUDGET = 100_000;

export interface WalkVisit {
  /** Built on first access, so walking stays linear however deep the document is. */
  readonly path: DocPath;
  readonly key: PathSegment | undefined;
  readonly value: unknown;
}

class WalkNode implements WalkVisit {
  readonly parent: WalkNode | undefined;
  readonly key: PathSegment | undefined;
  readonly value: unknown;
  #path: DocPath | undefined;

  constructor(parent: WalkNode | undefined, key: PathSegment | undefined, value: unknown) {
    this.parent = parent;
    this.key = key;
    this.value = value;
  }

  get path(): DocPath {
    if (this.#path === undefined) {
      this.#path =
        this.parent === undefined || this.key === undefined ? [] : [...this.parent.path, this.key];
    }
    return this.#path;
  }
}

/**
 * Visits every node of `value` depth-first with its path, at most `budget` nodes. Return `false`
 * from `visit` to skip a node's children. Shared (aliased) subtrees are visited once per path
 * until the budget runs out, so a rule's findings stay bounded on hostile input.
 */
export function walk(
  value: unknown,
  visit: (node: WalkVisit) => unknown,
  budget: number = WALK_NODE_BUDGET,
): void {
  const stack: WalkNode[] = [new WalkNode(undefined, undefined, value)];
  let visited = 0;
  while (stack.length > 0 && visited < budget) {
    const node = stack.pop();
    if (node === undefined) break;
    visited += 1;
    if (visit(node) === false) continue;
    if (Array.isArray(node.value)) {
      const items = node.value as readonly unknown[];
      for (let index = items.length - 1; index >= 0; index -= 1) {
        stack.push(new WalkNode(node, index, items[index]));
      }
    } else if (isObject(node.value)) {
      const entries = Object.entries(node.value);
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const entry = entries[index];
        if (entry !== undefined) stack.push(new WalkNode(node, entry[0], entry[1]));
      }
    }
  }
}
