/**
 * Scanner benchmark. Generates Kubernetes manifests (10,000 and 1,000 documents, 100 per file,
 * a realistic mix with a few findings), then times in separate processes, in the same run:
 *   - the whole `wif scan --format json` (process start included),
 *   - a bare js-yaml `loadAll` of the same files (process start included: the parsing floor).
 * Goals: scan ≤ 1.5× the floor at 10,000 documents; per-document cost roughly equal at 1,000
 * and 10,000 (linear). Run: `npx node bench/scan.ts [--runs N]`. The CLI is bundled the way it
 * ships (scripts/build.ts into a temporary directory, never dist/); `WIF_CLI=<file>` runs a given
 * entry instead (e.g. dist/cli.js, or src/cli/main.ts unbundled). `--framework-only` runs just the
 * two example rules (via a .wif.yaml `rules.enable`), separating framework cost from rule cost.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.join(import.meta.dirname, '..');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag === -1 ? 5 : Number(process.argv[runsFlag + 1] ?? 5);
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

function timeProcess(args: readonly string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...args], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return { ms, stdout: child.stdout };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const root = await mkdtemp(path.join(tmpdir(), 'wif-bench-'));
try {
  let cli: string;
  const explicit = process.env['WIF_CLI'];
  if (explicit === undefined) {
    const outdir = path.join(root, 'dist');
    execFileSync(process.execPath, [path.join(repo, 'scripts', 'build.ts'), outdir], {
      stdio: 'ignore',
    });
    cli = path.join(outdir, 'cli.js');
  } else {
    cli = path.resolve(repo, explicit);
  }
  console.log(
    `node ${process.version}, ${runs} runs each (median), entry ${explicit ?? 'src/cli/main.ts bundled by scripts/build.ts'}`,
  );
  await writeFile(
    path.join(root, 'framework-only.wif.yaml'),
    'rules:\n  enable: [K8S-01, GHA-01]\n',
  );
  if (frameworkOnly) console.log('framework only: rules K8S-01 and GHA-01');
  const rows: { documents: number; scan: number; floor: number; findings: number }[] = [];
  for (const documents of [1_000, 10_000]) {
    const directory = await generate(root, documents);
    const scanTimes: number[] = [];
    const floorTimes: number[] = [];
    let findings = 0;
    for (let run = 0; run < runs; run += 1) {
      // Alternate so drift (thermal, cache) hits both equally.
      const floor = timeProcess(['--input-type=module', '-e', FLOOR_SCRIPT, directory]);
      if (Number(floor.stdout) !== documents)
        throw new Error(`floor loaded ${floor.stdout} documents`);
      floorTimes.push(floor.ms);
      const scanRun = timeProcess([
        cli,
        'scan',
        directory,
        '--format',
        'json',
        '--fail-on',
        'never',
      ]);
      const report = JSON.parse(scanRun.stdout) as {
        summary: { documents: number; findings: number };
      };
      if (report.summary.documents !== documents)
        throw new Error(`scan saw ${report.summary.documents} documents`);
      findings = report.summary.findings;
      scanTimes.push(scanRun.ms);
    }
    rows.push({ documents, scan: median(scanTimes), floor: median(floorTimes), findings });
  }
  console.log('documents  findings  wif scan (ms)  js-yaml floor (ms)  ratio  scan µs/doc');
  for (const row of rows) {
    console.log(
      `${String(row.documents).padStart(9)}  ${String(row.findings).padStart(8)}  ${row.scan.toFixed(0).padStart(13)}  ${row.floor
        .toFixed(0)
        .padStart(
          18,
        )}  ${(row.scan / row.floor).toFixed(2).padStart(5)}  ${((row.scan * 1000) / row.documents).toFixed(1).padStart(11)}`,
    );
  }
  const [small, large] = rows;
  if (small !== undefined && large !== undefined) {
    const marginal = ((large.scan - small.scan) * 1000) / (large.documents - small.documents);
    console.log(`marginal cost between 1,000 and 10,000 documents: ${marginal.toFixed(1)} µs/doc`);
    console.log(
      `ratio at 10,000 documents: ${(large.scan / large.floor).toFixed(2)}× (goal ≤ 1.5×)`,
    );
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
