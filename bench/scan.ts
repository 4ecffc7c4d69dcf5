/**
 * Scanner benchmark. Generates Kubernetes manifests (1,000 and 10,000 documents, 100 per file,
 * a realistic mix in which one document in fifty has a finding to place), then times in
 * separate processes, alternating them run after run so drift hits all equally:
 *   - the whole `wif scan --format json` (process start included),
 *   - a bare js-yaml `loadAll` of the same files (process start included: the parsing floor),
 *   - the same loadAll holding every document until it exits, as a scan must for its cross-file
 *     context (a reference, not a goal: what the floor costs once nothing may be let go),
 *   - all of them again on an empty directory, which is the fixed cost of starting.
 * Goals: scan ≤ 1.5× the floor at 10,000 documents; a per-document cost (time above the empty
 * run, divided by the documents) that is the same at 1,000 and 10,000 (linear). Medians of
 * `--runs N` (default 7, at least 5) runs; the ratio is given two ways, as the ratio of the
 * medians and as the median of each run's own scan/floor ratio (a scan and its floor run back
 * to back, so the second drifts less with the machine). The load average is printed beside
 * them because a shared machine's noise is larger than the differences measured.
 * Run: `npx node scripts/build.ts && npx node bench/scan.ts`. It measures the bundled CLI as
 * users run it, dist/cli.js; `WIF_CLI=<file>` runs another entry (a bundle built elsewhere, or
 * src/cli/main.ts unbundled). `--framework-only` runs just two rules (K8S-01, GHA-01, through a
 * `--config` with `rules.enable`), separating the framework's cost from the rules'.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.join(import.meta.dirname, '..');
const runsFlag = process.argv.indexOf('--runs');
const runs = Math.max(5, runsFlag === -1 ? 7 : Number(process.argv[runsFlag + 1] ?? 7));
const frameworkOnly = process.argv.includes('--framework-only');
const DOCUMENTS_PER_FILE = 100;

function manifest(index: number): string {
  const ns = `team-${index % 37}`;
  const name = `svc-${index}`;
  switch (index % 5) {
    case 0:
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {app: ${name}, tier: backend}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
      annotations: {linkerd.io/inject: enabled}
    spec:
      serviceAccountName: ${name}
      automountServiceAccountToken: false
      containers:
        - name: app
          image: registry.example.com/${name}@sha256:${'a'.repeat(64)}
          ports: [{containerPort: 8080}]
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: VAULT_ADDR, value: "https://vault.vault.svc.cluster.local:8200"}
          volumeMounts:
            - {name: vault-token, mountPath: /var/run/secrets/vault, readOnly: true}
      volumes:
        - name: vault-token
          projected:
            sources:
              - serviceAccountToken: {path: token, expirationSeconds: 600, audience: vault}
`;
    case 1:
      return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${ns}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/${name}
automountServiceAccountToken: false
`;
    case 2:
      // One in fifty documents is a legacy token Secret: the scan has findings to place.
      return index % 50 === 2
        ? `apiVersion: v1
kind: Secret
metadata:
  name: ${name}-token
  namespace: ${ns}
  annotations: {kubernetes.io/service-account.name: ${name}}
type: kubernetes.io/service-account-token
`
        : `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}-config, namespace: ${ns}}
data:
  config.yaml: |
    listen: 0.0.0.0:8080
    upstream: http://${name}.${ns}.svc:8080
`;
    case 3:
      return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${name}-reader, namespace: ${ns}}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
`;
    default:
      return `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}-reader, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${name}-reader}
subjects:
  - {kind: ServiceAccount, name: ${name}, namespace: ${ns}}
`;
  }
}

async function generate(root: string, documents: number): Promise<string> {
  const directory = path.join(root, `k8s-${documents}`);
  await mkdir(directory, { recursive: true });
  for (let file = 0; file * DOCUMENTS_PER_FILE < documents; file += 1) {
    const parts: string[] = [];
    for (let i = 0; i < DOCUMENTS_PER_FILE && file * DOCUMENTS_PER_FILE + i < documents; i += 1) {
      parts.push(manifest(file * DOCUMENTS_PER_FILE + i));
    }
    await writeFile(
      path.join(directory, `m-${String(file).padStart(4, '0')}.yaml`),
      parts.join('---\n'),
    );
  }
  return directory;
}

/** The floor: a process that reads every file and js-yaml-loads it, nothing else. */
const FLOOR_SCRIPT = `
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
const dir = process.argv[1];
let documents = 0;
for (const name of readdirSync(dir)) documents += loadAll(readFileSync(path.join(dir, name), 'utf8')).length;
process.stdout.write(String(documents));
`;

/** The floor once every document must be held until the end, as a scan's context holds them. */
const FLOOR_KEEPING_SCRIPT = `
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
const dir = process.argv[1];
const kept = [];
for (const name of readdirSync(dir)) kept.push(...loadAll(readFileSync(path.join(dir, name), 'utf8')));
process.stdout.write(String(kept.length));
`;

function timeProcess(args: readonly string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...args], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // `--fail-on never`: any exit but 0 is a failure, e.g. a bundle rebuilt under the bench.
  if (child.status !== 0) {
    throw new Error(`${args.join(' ')} exited ${String(child.status)}: ${child.stderr}`);
  }
  return { ms, stdout: child.stdout };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

const SIZES = [0, 1_000, 10_000] as const;
const cli = path.resolve(repo, process.env['WIF_CLI'] ?? 'dist/cli.js');
if (!existsSync(cli)) {
  throw new Error(`${cli} does not exist; build it with \`npx node scripts/build.ts\` first.`);
}

const root = await mkdtemp(path.join(tmpdir(), 'wif-bench-'));
try {
  const config = path.join(root, 'framework-only.wif.yaml');
  await writeFile(config, 'rules:\n  enable: [K8S-01, GHA-01]\n');
  const directories = new Map<number, string>();
  for (const documents of SIZES) directories.set(documents, await generate(root, documents));
  console.log(
    `node ${process.version}, entry ${path.relative(repo, cli)}, medians of ${runs} alternating runs${
      frameworkOnly ? ', framework only (rules K8S-01 and GHA-01)' : ''
    }`,
  );
  console.log(`load average (1, 5, 15 min) before: ${loadAverage()}`);

  const scanTimes = new Map<number, number[]>(SIZES.map((size) => [size, []]));
  const floorTimes = new Map<number, number[]>(SIZES.map((size) => [size, []]));
  const keepingTimes = new Map<number, number[]>(SIZES.map((size) => [size, []]));
  const findings = new Map<number, number>();
  for (let run = 0; run < runs; run += 1) {
    for (const documents of SIZES) {
      const directory = directories.get(documents) ?? '';
      const floor = timeProcess(['--input-type=module', '-e', FLOOR_SCRIPT, directory]);
      if (Number(floor.stdout) !== documents)
        throw new Error(`floor loaded ${floor.stdout} documents`);
      floorTimes.get(documents)?.push(floor.ms);
      const keeping = timeProcess(['--input-type=module', '-e', FLOOR_KEEPING_SCRIPT, directory]);
      if (Number(keeping.stdout) !== documents)
        throw new Error(`the keeping floor loaded ${keeping.stdout} documents`);
      keepingTimes.get(documents)?.push(keeping.ms);
      const scanRun = timeProcess([
        cli,
        'scan',
        directory,
        '--format',
        'json',
        '--fail-on',
        'never',
        ...(frameworkOnly ? ['--config', config] : []),
      ]);
      const report = JSON.parse(scanRun.stdout) as {
        summary: { documents: number; findings: number };
      };
      if (report.summary.documents !== documents)
        throw new Error(`scan saw ${report.summary.documents} documents`);
      findings.set(documents, report.summary.findings);
      scanTimes.get(documents)?.push(scanRun.ms);
    }
  }
  console.log(`load average (1, 5, 15 min) after:  ${loadAverage()}`);

  const scanAt = (documents: number): number => median(scanTimes.get(documents) ?? []);
  const floorAt = (documents: number): number => median(floorTimes.get(documents) ?? []);
  const keepingAt = (documents: number): number => median(keepingTimes.get(documents) ?? []);
  /** The median of the runs' own ratios: run i of the scan against run i of the floor. */
  const pairedRatio = (documents: number, baseline: Map<number, number[]>): number => {
    const scans = scanTimes.get(documents) ?? [];
    const floors = baseline.get(documents) ?? [];
    return median(scans.map((ms, run) => ms / (floors[run] ?? Number.NaN)));
  };
  /** µs per document above the fixed cost of starting (the empty directory's run). */
  const perDocument = (time: (documents: number) => number, documents: number): number =>
    ((time(documents) - time(0)) * 1000) / documents;
  console.log(
    'documents  findings  wif scan (ms)  js-yaml floor (ms)  ratio  paired  floor keeping all (ms)  paired  scan µs/doc  floor µs/doc',
  );
  for (const documents of SIZES) {
    const cells = [
      String(documents).padStart(9),
      String(findings.get(documents) ?? 0).padStart(8),
      scanAt(documents).toFixed(0).padStart(13),
      floorAt(documents).toFixed(0).padStart(18),
      (scanAt(documents) / floorAt(documents)).toFixed(2).padStart(5),
      pairedRatio(documents, floorTimes).toFixed(2).padStart(6),
      keepingAt(documents).toFixed(0).padStart(22),
      pairedRatio(documents, keepingTimes).toFixed(2).padStart(6),
      (documents === 0 ? '-' : perDocument(scanAt, documents).toFixed(1)).padStart(11),
      (documents === 0 ? '-' : perDocument(floorAt, documents).toFixed(1)).padStart(12),
    ];
    console.log(cells.join('  '));
  }
  console.log(
    `ratio at 10,000 documents: ${(scanAt(10_000) / floorAt(10_000)).toFixed(2)}× the floor, ${pairedRatio(10_000, floorTimes).toFixed(2)}× paired (goal ≤ 1.5×); holding the documents alone costs ${(keepingAt(10_000) / floorAt(10_000)).toFixed(2)}×`,
  );
  console.log(
    `per-document cost above start-up: ${perDocument(scanAt, 1_000).toFixed(1)} µs at 1,000, ${perDocument(
      scanAt,
      10_000,
    ).toFixed(1)} µs at 10,000: ${(
      perDocument(scanAt, 10_000) / perDocument(scanAt, 1_000)
    ).toFixed(2)}× (goal ≈ 1, linear)`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
