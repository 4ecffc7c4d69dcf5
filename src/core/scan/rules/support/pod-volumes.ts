/**
 * Volumes and volume mounts of a pod template, with their paths, and the projected
 * service-account tokens among them. Rules about mounts need both sides: the volume says what
 * is mounted, the container's mount says where and whether it is read-only.
 */
import { isObject, memoize } from '../../document.ts';
import type { DocPath, PlainObject } from '../../document.ts';
import { containersOf } from '../../k8s.ts';
import { ListItem } from '../../list-item.ts';
import type { ContainerRef, PodTemplate } from '../../k8s.ts';

export interface VolumeRef {
  readonly path: DocPath;
  readonly volume: PlainObject;
  readonly name: string;
}

export interface MountRef {
  readonly path: DocPath;
  readonly mount: PlainObject;
  readonly container: ContainerRef;
  readonly mountPath: string;
}

export interface ProjectedTokenRef {
  /** Path to the `serviceAccountToken` key of the projected source. */
  readonly path: DocPath;
  readonly source: PlainObject;
  readonly volume: VolumeRef;
}

/** A volume and where it sits; see ListItem. */
class Volume extends ListItem implements VolumeRef {
  readonly volume: PlainObject;

  constructor(listPath: DocPath, index: number, volume: PlainObject) {
    super(listPath, index, typeof volume['name'] === 'string' ? volume['name'] : '');
    this.volume = volume;
  }
}

/** A projected token source; its path, too, is built when asked for. */
class ProjectedToken implements ProjectedTokenRef {
  readonly source: PlainObject;
  readonly volume: VolumeRef;
  readonly #index: number;

  constructor(volume: VolumeRef, index: number, source: PlainObject) {
    this.volume = volume;
    this.source = source;
    this.#index = index;
  }

  get path(): DocPath {
    return [...this.volume.path, 'projected', 'sources', this.#index, 'serviceAccountToken'];
  }
}

function listAt(spec: PlainObject, field: string): readonly unknown[] {
  const list = spec[field];
  return Array.isArray(list) ? (list as readonly unknown[]) : [];
}

/** Volumes of a pod spec (or of anything with a `volumes` list, such as a Tekton Task spec). */
export function volumesAt(spec: PlainObject, specPath: DocPath): readonly VolumeRef[] {
  const found: VolumeRef[] = [];
  // Indexed loops here and below: every workload of a scan is read through these helpers,
  // mostly before the JIT has warmed up, where a callback per item costs more than its work.
  const volumes = listAt(spec, 'volumes');
  let listPath: DocPath | undefined;
  for (let index = 0; index < volumes.length; index += 1) {
    const volume = volumes[index];
    if (!isObject(volume)) continue;
    listPath ??= [...specPath, 'volumes'];
    found.push(new Volume(listPath, index, volume));
  }
  return found;
}

export const volumesOf: (template: PodTemplate) => readonly VolumeRef[] = memoize((template) =>
  volumesAt(template.spec, template.specPath),
);

/** Every container's mounts of the volume named `volumeName`. */
export function mountsOf(template: PodTemplate, volumeName: string): readonly MountRef[] {
  const found: MountRef[] = [];
  for (const container of containersOf(template)) {
    const mounts = listAt(container.container, 'volumeMounts');
    for (let index = 0; index < mounts.length; index += 1) {
      const mount = mounts[index];
      if (!isObject(mount) || mount['name'] !== volumeName) continue;
      found.push({
        path: [...container.path, 'volumeMounts', index],
        mount,
        container,
        mountPath: typeof mount['mountPath'] === 'string' ? mount['mountPath'] : '',
      });
    }
  }
  return found;
}

/** Projected `serviceAccountToken` sources of the given volumes. */
export function projectedTokens(volumes: readonly VolumeRef[]): readonly ProjectedTokenRef[] {
  const found: ProjectedTokenRef[] = [];
  for (let v = 0; v < volumes.length; v += 1) {
    const volume = volumes[v] as VolumeRef;
    const projected = volume.volume['projected'];
    if (!isObject(projected)) continue;
    const sources = projected['sources'];
    if (!Array.isArray(sources)) continue;
    for (let index = 0; index < sources.length; index += 1) {
      const source: unknown = sources[index];
      if (!isObject(source)) continue;
      const token = source['serviceAccountToken'];
      if (!isObject(token) && token !== null) continue;
      found.push(new ProjectedToken(volume, index, isObject(token) ? token : {}));
    }
  }
  return found;
}

const ACCOUNT_FIELDS = ['serviceAccountName', 'serviceAccount'] as const;

/** A pod's service account; the path is built when asked for, as four rules ask for the name. */
class ServiceAccountName {
  readonly name: string;
  readonly #specPath: DocPath;
  readonly #field: string;

  constructor(name: string, specPath: DocPath, field: string) {
    this.name = name;
    this.#specPath = specPath;
    this.#field = field;
  }

  get path(): DocPath {
    return [...this.#specPath, this.#field];
  }
}

/** The service account a pod runs as (`serviceAccount` is the deprecated alias). */
export function serviceAccountNameOf(
  template: PodTemplate,
): { readonly name: string; readonly path: DocPath } | undefined {
  for (const field of ACCOUNT_FIELDS) {
    const value = template.spec[field];
    if (typeof value === 'string' && value !== '') {
      return new ServiceAccountName(value, template.specPath, field);
    }
  }
  return undefined;
}
