/**
 * Test helper: writes a set of files into a fresh temporary directory, scans it the way
 * `wif scan .` would, and removes the directory again.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Baseline } from '../../../../src/core/scan/baseline.ts';
import { DEFAULT_CONFIG } from '../../../../src/core/scan/config.ts';
import type { ScanConfig } from '../../../../src/core/scan/config.ts';
import { scan } from '../../../../src/core/scan/engine.ts';
import type { ScanResult } from '../../../../src/core/scan/engine.ts';
import type { Finding } from '../../../../src/core/scan/finding.ts';
import type { Rule } from '../../../../src/core/scan/rule.ts';

export interface ScanFilesOptions {
  readonly rules?: readonly Rule[];
  readonly config?: Partial<ScanConfig>;
  readonly baseline?: Baseline;
  readonly now?: Date;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly inputs?: readonly string[];
}

export async function withFiles<T>(
  files: Readonly<Record<string, string | Buffer>>,
  run: (root: string) => Promise<T>,
): Promise<T> {
  const root = await mkdtemp(path.join(tmpdir(), 'wif-scan-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      const target = path.join(root, name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    return await run(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function scanFiles(
  files: Readonly<Record<string, string | Buffer>>,
  options: ScanFilesOptions = {},
): Promise<ScanResult> {
  return withFiles(files, (root) =>
    scan({
      root,
      inputs: options.inputs ?? ['.'],
      include: options.include ?? [],
      exclude: options.exclude ?? [],
      config: { ...DEFAULT_CONFIG, ...options.config },
      ...(options.rules === undefined ? {} : { rules: options.rules }),
      ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
      now: options.now ?? new Date('2026-06-01T12:00:00Z'),
    }),
  );
}

/** Unsuppressed findings of one rule, as `file:line:column` strings for compact assertions. */
export function locations(result: ScanResult, ruleId: string): string[] {
  return active(result)
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => `${finding.file}:${finding.line}:${finding.column}`);
}

export function active(result: ScanResult): Finding[] {
  return result.findings.filter((finding) => finding.suppression === null);
}
