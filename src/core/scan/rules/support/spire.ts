/**
 * SPIRE registration data as the SPI rules read it: entries from `spire-server entry show
 * -output json` (SPIFFE IDs as `{trust_domain, path}`), from `-data` / registration input
 * (IDs as strings, snake_case or camelCase fields) and from `ClusterStaticEntry` objects; plus
 * `ClusterSPIFFEID` specs and the server configuration (HCL as hcl2json gives it).
 */
import { entriesOf, getAt, isObject } from '../../document.ts';
import type { DocPath, PlainObject, ScanDocument } from '../../document.ts';
import type { ObjectRef, ScanContext } from '../../rule.ts';

export interface SpiffeId {
  readonly trustDomain: string;
  /** The path, starting with `/`, or empty for a trust-domain ID. */
  readonly path: string;
  readonly text: string;
}

const SPIFFE_URI = /^spiffe:\/\/([^/?#]+)(\/[^?#]*)?$/;

/** A SPIFFE ID written as a URI string or as the API's `{trust_domain, path}`. */
export function parseSpiffeId(value: unknown): SpiffeId | undefined {
  if (typeof value === 'string') {
    const match = SPIFFE_URI.exec(value.trim());
    if (match === null) return undefined;
    return { trustDomain: match[1] ?? '', path: match[2] ?? '', text: value.trim() };
  }
  if (isObject(value) && typeof value['trust_domain'] === 'string') {
    const path = typeof value['path'] === 'string' ? value['path'] : '';
    return {
      trustDomain: value['trust_domain'],
      path,
      text: `spiffe://${value['trust_domain']}${path}`,
    };
  }
  return undefined;
}

/** A trust domain name from `example.org` or `spiffe://example.org`. */
export function trustDomainName(value: string): string {
  return value
    .trim()
    .replace(/^spiffe:\/\//, '')
    .replace(/\/.*$/, '');
}

export interface Located<T> {
  readonly value: T;
  readonly path: DocPath;
}

export interface Selector {
  readonly type: string;
  readonly value: string;
  readonly path: DocPath;
}

export interface EntryView {
  /** Where the entry object sits in the document. */
  readonly path: DocPath;
  readonly entry: PlainObject;
  readonly object: ObjectRef;
  readonly spiffeId: Located<SpiffeId> | undefined;
  readonly parentId: Located<SpiffeId> | undefined;
  readonly selectors: readonly Selector[];
  readonly selectorsPath: DocPath | undefined;
  readonly federatesWith: readonly Located<string>[];
}

/** The first of `keys` present in `object`, with its path. */
export function fieldOf(
  object: PlainObject,
  base: DocPath,
  ...keys: readonly string[]
): Located<unknown> | undefined {
  for (const key of keys) {
    if (object[key] !== undefined) return { value: object[key], path: [...base, key] };
  }
  return undefined;
}

function selectorsOf(raw: unknown, base: DocPath): Selector[] {
  if (!Array.isArray(raw)) return [];
  const out: Selector[] = [];
  (raw as readonly unknown[]).forEach((item, index) => {
    const path = [...base, index];
    if (typeof item === 'string') {
      // The text form splits at the first colon: `k8s:pod-label:app:web` → k8s / pod-label:app:web.
      const colon = item.indexOf(':');
      if (colon > 0) out.push({ type: item.slice(0, colon), value: item.slice(colon + 1), path });
    } else if (
      isObject(item) &&
      typeof item['type'] === 'string' &&
      typeof item['value'] === 'string'
    ) {
      out.push({ type: item['type'], value: item['value'], path });
    }
  });
  return out;
}

function located(field: Located<unknown> | undefined): Located<SpiffeId> | undefined {
  const id = field === undefined ? undefined : parseSpiffeId(field.value);
  return id === undefined || field === undefined ? undefined : { value: id, path: field.path };
}

function view(entry: PlainObject, path: DocPath, name: string, kind: string): EntryView {
  const spiffeId = located(fieldOf(entry, path, 'spiffe_id', 'spiffeId', 'spiffeID'));
  const selectorsField = fieldOf(entry, path, 'selectors');
  const federates = fieldOf(entry, path, 'federates_with', 'federatesWith');
  const federatesWith: Located<string>[] = [];
  if (federates !== undefined && Array.isArray(federates.value)) {
    (federates.value as readonly unknown[]).forEach((item, index) => {
      if (typeof item === 'string')
        federatesWith.push({ value: trustDomainName(item), path: [...federates.path, index] });
    });
  }
  return {
    path,
    entry,
    object: { kind, name: spiffeId?.value.text ?? name, namespace: null },
    spiffeId,
    parentId: located(fieldOf(entry, path, 'parent_id', 'parentId', 'parentID')),
    selectors: selectorsOf(selectorsField?.value, selectorsField?.path ?? path),
    selectorsPath: selectorsField?.path,
    federatesWith,
  };
}

/** Registration entries in an entries document, or the entry a `ClusterStaticEntry` declares. */
export function spireEntries(document: ScanDocument): readonly EntryView[] {
  const classification = document.classification;
  if (classification.kind === 'k8s') {
    if (classification.k8sKind !== 'ClusterStaticEntry') return [];
    const spec = getAt(document.value, ['spec']);
    return isObject(spec) ? [view(spec, ['spec'], classification.name, 'ClusterStaticEntry')] : [];
  }
  if (classification.kind !== 'spire-entries') return [];
  const value = document.value;
  const key = isObject(value) ? (Array.isArray(value['entries']) ? 'entries' : 'entry') : undefined;
  const list = key === undefined ? value : isObject(value) ? value[key] : undefined;
  if (!Array.isArray(list)) return [];
  const out: EntryView[] = [];
  (list as readonly unknown[]).forEach((entry, index) => {
    if (!isObject(entry)) return;
    const id = entry['id'] ?? entry['entry_id'];
    out.push(
      view(
        entry,
        key === undefined ? [index] : [key, index],
        typeof id === 'string' ? id : `entry ${index + 1}`,
        'entry',
      ),
    );
  });
  return out;
}

/** True for a node entry (its parent is the server), whose selectors attest nodes, not pods. */
export function isNodeEntry(entry: EntryView): boolean {
  return entry.parentId?.value.path === '/spire/server';
}

/** `k8s:ns:<x>` and `k8s:sa:<x>` selector values of an entry. */
export function k8sSelector(entry: EntryView, name: 'ns' | 'sa'): readonly Selector[] {
  return entry.selectors.filter(
    (selector) => selector.type === 'k8s' && selector.value.startsWith(`${name}:`),
  );
}

export interface ServerConfig {
  readonly server: PlainObject;
  readonly path: DocPath;
}

/** A SPIRE server or agent configuration with where it sits in its document. */
export interface SpireConfigView {
  readonly value: PlainObject;
  readonly component: 'server' | 'agent';
  /** Where the configuration starts in the document's value: `[]`, or a ConfigMap key. */
  readonly path: DocPath;
}

/** Every SPIRE configuration in a document: the file itself, or those a ConfigMap carries. */
export function spireConfigs(document: ScanDocument): readonly SpireConfigView[] {
  const own = document.classification;
  if (own.kind === 'spire-config' && isObject(document.value)) {
    return [{ value: document.value, component: own.component, path: [] }];
  }
  return (document.embedded ?? []).flatMap((embedded) =>
    embedded.classification.kind === 'spire-config' && isObject(embedded.value)
      ? [
          {
            value: embedded.value,
            component: embedded.classification.component,
            path: embedded.path,
          },
        ]
      : [],
  );
}

/**
 * Every SPIRE server configuration in a document, as its `server { … }` block: the document
 * itself (a `server.conf` file), or the ones a ConfigMap carries in `data` (paths then start at
 * that key).
 */
export function serverConfigs(document: ScanDocument): readonly ServerConfig[] {
  return spireConfigs(document).flatMap((config) => {
    if (config.component !== 'server') return [];
    const block = firstBlock(config.value, config.path, 'server');
    return block === undefined ? [] : [{ server: block.value, path: block.path }];
  });
}

/**
 * The scan's documents that can configure a SPIRE server: configuration files, the chart's
 * values, and ConfigMaps (which may carry a server.conf).
 */
export function serverSources(context: ScanContext): readonly ScanDocument[] {
  return [
    ...context.byKind('spire-config'),
    ...context.byKind('spire-helm-values'),
    ...context.k8sObjects('ConfigMap'),
  ];
}

/** One configured plugin: `<type> "<name>" { plugin_data { … } }` inside `plugins { … }`. */
export interface PluginView {
  readonly name: string;
  /** Where the plugin is named (`NodeAttestor "join_token"`): a finding about the choice. */
  readonly labelPath: DocPath;
  /** The plugin's block. */
  readonly path: DocPath;
  /** `plugin_data`, with its path; undefined when the plugin has none. */
  readonly data: Located<PlainObject> | undefined;
}

/** The plugins of one type (`UpstreamAuthority`, `NodeAttestor`, …) a configuration declares. */
export function pluginsOf(config: SpireConfigView, type: string): readonly PluginView[] {
  const out: PluginView[] = [];
  const plugins = config.value['plugins'];
  const blocks: readonly unknown[] = Array.isArray(plugins)
    ? (plugins as readonly unknown[])
    : [plugins];
  blocks.forEach((block, index) => {
    if (!isObject(block)) return;
    const base = [...config.path, 'plugins', ...(Array.isArray(plugins) ? [index] : [])];
    for (const [name, raw] of entriesOf(block[type])) {
      const plugin = firstBlock({ [name]: raw }, [...base, type], name);
      if (plugin === undefined) continue;
      out.push({
        name,
        labelPath: [...base, type, name],
        path: plugin.path,
        data: firstBlock(plugin.value, plugin.path, 'plugin_data'),
      });
    }
  });
  return out;
}

/** The `spire-server` subchart values of the hardened `spire` chart, with their path. */
export function helmServerValues(document: ScanDocument): Located<PlainObject> | undefined {
  if (document.classification.kind !== 'spire-helm-values') return undefined;
  const server = getAt(document.value, ['spire-server']);
  return isObject(server) ? { value: server, path: ['spire-server'] } : undefined;
}

/**
 * A peer as the spire-controller-manager's ClusterFederatedTrustDomain spec states it
 * (`trustDomain`, `bundleEndpointURL`, `bundleEndpointProfile: {type, endpointSPIFFEID}`), from
 * the object itself or from the Helm values that render one.
 */
function crdPeer(spec: PlainObject, path: DocPath, fallbackName: string): FederationPeer {
  const trustDomain = spec['trustDomain'];
  const profileField = fieldOf(spec, path, 'bundleEndpointProfile');
  const profileBody = isObject(profileField?.value) ? profileField.value : undefined;
  const type = profileBody?.['type'];
  return {
    trustDomain: trustDomainName(typeof trustDomain === 'string' ? trustDomain : fallbackName),
    path,
    body: spec,
    url: fieldOf(spec, path, 'bundleEndpointURL'),
    profile:
      profileField === undefined || profileBody === undefined || typeof type !== 'string'
        ? undefined
        : {
            name: type,
            path: profileField.path,
            body: profileBody,
            endpointId: fieldOf(profileBody, profileField.path, 'endpointSPIFFEID'),
          },
  };
}

/**
 * Objects the chart's controller manager creates from its values, of one CRD kind: entries of
 * `controllerManager.identities.<key>` (each the CRD's spec) and of
 * `controllerManager.extraCRs.<key>` (each `{spec: …}` or the spec itself), with their paths.
 */
function helmControllerObjects(
  helm: Located<PlainObject>,
  key: 'clusterFederatedTrustDomains' | 'clusterSPIFFEIDs',
): readonly { readonly name: string; readonly spec: PlainObject; readonly path: DocPath }[] {
  const out: { name: string; spec: PlainObject; path: DocPath }[] = [];
  for (const section of ['identities', 'extraCRs']) {
    const base = [...helm.path, 'controllerManager', section, key];
    for (const [name, entry] of entriesOf(getAt(helm.value, base.slice(1)))) {
      if (!isObject(entry)) continue;
      const nested = isObject(entry['spec']);
      const spec = nested ? (entry['spec'] as PlainObject) : entry;
      out.push({ name, spec, path: [...base, name, ...(nested ? ['spec'] : [])] });
    }
  }
  return out;
}

/**
 * Every federation peer a document declares: `federates_with` blocks of a server configuration
 * (a file, or one embedded in a ConfigMap), a ClusterFederatedTrustDomain, or the
 * `controllerManager.identities.clusterFederatedTrustDomains` of the chart's values (each entry
 * the CRD's spec, or `{spec: …}` as `extraCRs` entries are written).
 */
export function federationPeersOf(document: ScanDocument): readonly FederationPeer[] {
  const classification = document.classification;
  if (classification.kind === 'k8s') {
    if (classification.k8sKind !== 'ClusterFederatedTrustDomain') {
      return serverConfigs(document).flatMap(federationPeers);
    }
    const spec = getAt(document.value, ['spec']);
    return isObject(spec) ? [crdPeer(spec, ['spec'], classification.name)] : [];
  }
  const helm = helmServerValues(document);
  if (helm === undefined) return serverConfigs(document).flatMap(federationPeers);
  return helmControllerObjects(helm, 'clusterFederatedTrustDomains').map(({ name, spec, path }) =>
    crdPeer(spec, path, name),
  );
}

/**
 * Whether a document states a SPIRE server's federation, so that a peer it does not list is
 * one the server does not federate with: a server configuration (file or ConfigMap), a
 * ClusterFederatedTrustDomain, or the chart's `spire-server` values.
 */
export function statesFederation(document: ScanDocument): boolean {
  const classification = document.classification;
  if (classification.kind === 'k8s' && classification.k8sKind === 'ClusterFederatedTrustDomain')
    return true;
  return helmServerValues(document) !== undefined || serverConfigs(document).length > 0;
}

/**
 * The trust domain of each SPIRE server a document configures, where it is written: a server
 * configuration's `trust_domain` (file or ConfigMap), or for the chart's values
 * `global.spire.trustDomain`, which wins when set, else `spire-server.trustDomain`.
 */
export function serverTrustDomains(document: ScanDocument): readonly Located<string>[] {
  if (document.classification.kind === 'spire-helm-values') {
    for (const path of [
      ['global', 'spire', 'trustDomain'],
      ['spire-server', 'trustDomain'],
    ]) {
      const value = getAt(document.value, path);
      if (typeof value === 'string' && value.trim() !== '') return [{ value: value.trim(), path }];
    }
    return [];
  }
  return serverConfigs(document).flatMap(({ server, path }) => {
    const domain = server['trust_domain'];
    return typeof domain === 'string' ? [{ value: domain, path: [...path, 'trust_domain'] }] : [];
  });
}

/** A ClusterSPIFFEID spec: the object's own, or one the chart's values create. */
export interface ClusterSpiffeIdSpec {
  readonly name: string;
  readonly spec: PlainObject;
  readonly path: DocPath;
}

/**
 * ClusterSPIFFEID specs in a document: the object, or the chart's enabled `clusterSPIFFEIDs`
 * values (which write the JWT lifetime `jwtTTL` where the CRD has `jwtTtl`).
 */
export function clusterSpiffeIdSpecs(document: ScanDocument): readonly ClusterSpiffeIdSpec[] {
  const classification = document.classification;
  if (classification.kind === 'k8s') {
    if (classification.k8sKind !== 'ClusterSPIFFEID') return [];
    const spec = getAt(document.value, ['spec']);
    return isObject(spec) ? [{ name: classification.name, spec, path: ['spec'] }] : [];
  }
  const helm = helmServerValues(document);
  if (helm === undefined) return [];
  // The chart renders an entry only while `enabled` is not false.
  return helmControllerObjects(helm, 'clusterSPIFFEIDs').filter(
    ({ spec }) => spec['enabled'] !== false && spec['enabled'] !== 'false',
  );
}

/**
 * True for the chart's built-in identity types (`type: oidc-discovery-provider`, `test-keys`),
 * whose template and selectors the chart writes itself.
 */
export function isChartBuiltIn(spec: PlainObject): boolean {
  return typeof spec['type'] === 'string';
}

/** One SVID or CA lifetime setting, as written, with its path. */
export interface TtlSetting {
  readonly key: string;
  readonly value: unknown;
  readonly path: DocPath;
}

/** The lifetimes a SPIRE server signs with, in the spelling of the form they come from. */
export interface ServerLifetimes {
  readonly x509: TtlSetting | undefined;
  readonly jwt: TtlSetting | undefined;
  /** `default_svid_ttl`, which older servers read for X.509-SVIDs. */
  readonly legacy: TtlSetting | undefined;
  readonly ca: TtlSetting | undefined;
  /** What applies when a setting is absent: SPIRE's defaults, or the chart's. */
  readonly defaults: { readonly x509: string; readonly ca: string };
}

function ttlSetting(object: PlainObject, base: DocPath, ...keys: string[]): TtlSetting | undefined {
  const field = fieldOf(object, base, ...keys);
  const key = field?.path[field.path.length - 1];
  return field === undefined ? undefined : { key: String(key), ...field };
}

/**
 * Server lifetimes of every server configuration in a document (file or ConfigMap), or of the
 * chart's `spire-server` values (`defaultX509SvidTTL`, `defaultJwtSvidTTL`, `caTTL`).
 */
export function serverLifetimes(document: ScanDocument): readonly ServerLifetimes[] {
  const helm = helmServerValues(document);
  if (helm !== undefined) {
    return [
      {
        x509: ttlSetting(helm.value, helm.path, 'defaultX509SvidTTL'),
        jwt: ttlSetting(helm.value, helm.path, 'defaultJwtSvidTTL'),
        legacy: undefined,
        ca: ttlSetting(helm.value, helm.path, 'caTTL', 'ca_ttl'),
        defaults: { x509: HELM_DEFAULT_X509_TTL, ca: SPIRE_DEFAULT_CA_TTL },
      },
    ];
  }
  return serverConfigs(document).map(({ server, path }) => ({
    x509: ttlSetting(server, path, 'default_x509_svid_ttl'),
    jwt: ttlSetting(server, path, 'default_jwt_svid_ttl'),
    legacy: ttlSetting(server, path, 'default_svid_ttl'),
    ca: ttlSetting(server, path, 'ca_ttl'),
    defaults: { x509: SPIRE_DEFAULT_X509_TTL, ca: SPIRE_DEFAULT_CA_TTL },
  }));
}

/**
 * SPIRE's documented defaults, and the hardened chart's for its X.509-SVIDs
 * (`defaultX509SvidTTL: 4h` in spiffe/helm-charts-hardened's spire-server values; its
 * `caTTL` default is SPIRE's 24h).
 */
const SPIRE_DEFAULT_CA_TTL = '24h';
const SPIRE_DEFAULT_X509_TTL = '1h';
const HELM_DEFAULT_X509_TTL = '4h';

/** One block of a repeated-or-single HCL block attribute (hcl2json gives lists). */
export function firstBlock(
  parent: PlainObject,
  base: DocPath,
  key: string,
): Located<PlainObject> | undefined {
  const raw = parent[key];
  if (Array.isArray(raw)) {
    const first: unknown = (raw as readonly unknown[])[0];
    return isObject(first) ? { value: first, path: [...base, key, 0] } : undefined;
  }
  return isObject(raw) ? { value: raw, path: [...base, key] } : undefined;
}

export interface FederationPeer {
  readonly trustDomain: string;
  readonly path: DocPath;
  readonly body: PlainObject;
  /** `bundle_endpoint_url` (`bundleEndpointURL` in the CRD and Helm values), with its path. */
  readonly url: Located<unknown> | undefined;
  /** `https_spiffe` or `https_web`, with the profile block. */
  readonly profile:
    | {
        readonly name: string;
        readonly path: DocPath;
        readonly body: PlainObject;
        /** `endpoint_spiffe_id` (`endpointSPIFFEID`), with its path. */
        readonly endpointId: Located<unknown> | undefined;
      }
    | undefined;
}

/** `federation { federates_with "<td>" { … } }` peers of a server configuration. */
export function federationPeers(config: ServerConfig): readonly FederationPeer[] {
  const federation = firstBlock(config.server, config.path, 'federation');
  if (federation === undefined) return [];
  const peers: FederationPeer[] = [];
  for (const [trustDomain, raw] of entriesOf(federation.value['federates_with'])) {
    const block = firstBlock(
      { [trustDomain]: raw },
      [...federation.path, 'federates_with'],
      trustDomain,
    );
    if (block === undefined) continue;
    let profile: FederationPeer['profile'];
    for (const [name, written] of entriesOf(block.value['bundle_endpoint_profile'])) {
      const profileBlock = firstBlock(
        { [name]: written },
        [...block.path, 'bundle_endpoint_profile'],
        name,
      );
      const path = profileBlock?.path ?? [...block.path, 'bundle_endpoint_profile', name];
      const body = profileBlock?.value ?? {};
      profile = { name, path, body, endpointId: fieldOf(body, path, 'endpoint_spiffe_id') };
    }
    peers.push({
      trustDomain: trustDomainName(trustDomain),
      path: block.path,
      body: block.value,
      url: fieldOf(block.value, block.path, 'bundle_endpoint_url'),
      profile,
    });
  }
  return peers;
}

/** True for a `{{ … }}` Go template segment, which the controller fills per pod. */
export function isTemplate(text: string): boolean {
  return text.includes('{{');
}
