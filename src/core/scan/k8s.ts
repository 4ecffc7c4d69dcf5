/**
 * Kubernetes helpers shared by rules: where pod templates live in each workload kind, and how
 * annotations and labels are read.
 */
import { isObject, memoize, objectAt, stringAt } from './document.ts';
import type { DocPath, K8sDocument, PlainObject } from './document.ts';
import { ListItem } from './list-item.ts';

/** Path from the object root to its pod template (`metadata` + `spec`), by kind. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, DocPath>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

/** Each kind's template, spec and metadata paths, built once rather than per workload. */
const TEMPLATE_PATHS: ReadonlyMap<
  string,
  { readonly path: DocPath; readonly specPath: DocPath; readonly metadataPath: DocPath }
> = new Map(
  Object.entries(POD_TEMPLATE_PATHS).map(([kind, path]) => [
    kind,
    { path, specPath: [...path, 'spec'], metadataPath: [...path, 'metadata'] },
  ]),
);

export interface PodTemplate {
  /** Path to the template (its `metadata` and `spec` are children). `[]` for a Pod. */
  readonly path: DocPath;
  /** Path to the pod spec. */
  readonly specPath: DocPath;
  readonly spec: PlainObject;
  /** The template's own metadata (labels, annotations); empty when absent. */
  readonly metadata: PlainObject;
}

/** The pod template of a workload, or undefined for other kinds or a template without spec. */
export const podTemplate: (document: K8sDocument) => PodTemplate | undefined = memoize(
  (document: K8sDocument) => {
    const paths = TEMPLATE_PATHS.get(document.classification.k8sKind);
    if (paths === undefined) return undefined;
    const spec = objectAt(document.value, paths.specPath);
    if (spec === undefined) return undefined;
    return {
      path: paths.path,
      specPath: paths.specPath,
      spec,
      metadata: objectAt(document.value, paths.metadataPath) ?? {},
    };
  },
);

export interface ContainerRef {
  readonly path: DocPath;
  readonly container: PlainObject;
  readonly name: string;
}

/** Containers, init containers and ephemeral containers of a pod spec, with their paths. */
export const containersOf: (template: PodTemplate) => readonly ContainerRef[] =
  memoize(containersIn);

const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** A container and where it sits; see ListItem. */
class Container extends ListItem implements ContainerRef {
  readonly container: PlainObject;

  constructor(listPath: DocPath, index: number, container: PlainObject) {
    const name = container['name'];
    super(listPath, index, typeof name === 'string' ? name : `#${index}`);
    this.container = container;
  }
}

function containersIn(template: PodTemplate): readonly ContainerRef[] {
  const found: ContainerRef[] = [];
  // Indexed loops: every workload of a scan comes through here, before the JIT has warmed up.
  for (const field of CONTAINER_FIELDS) {
    const list = template.spec[field];
    if (!Array.isArray(list)) continue;
    let listPath: DocPath | undefined;
    for (let index = 0; index < list.length; index += 1) {
      const container: unknown = list[index];
      if (!isObject(container)) continue;
      listPath ??= [...template.specPath, field];
      found.push(new Container(listPath, index, container));
    }
  }
  return found;
}

export function annotation(document: K8sDocument, key: string): string | undefined {
  return stringAt(document.value, ['metadata', 'annotations', key]);
}

export function label(document: K8sDocument, key: string): string | undefined {
  return stringAt(document.value, ['metadata', 'labels', key]);
}
