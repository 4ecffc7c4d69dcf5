import * as core from '@actions/core';
import type { AppliedExport } from '../../core/credentials/apply.ts';

/**
 * Main → post hand-off. The post step only trusts what the main step saved: paths under the
 * directory it created and the variables it exported; a garbled state cleans nothing.
 */
export function saveExportState(key: string, applied: AppliedExport): void {
  core.saveState(key, JSON.stringify(applied));
}

export function loadExportState(key: string): AppliedExport | undefined {
  const raw = core.getState(key);
  if (raw === '') return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<AppliedExport>;
    const strings = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    return {
      directory: typeof parsed.directory === 'string' ? parsed.directory : undefined,
      files: strings(parsed.files),
      env: strings(parsed.env),
      outputs: strings(parsed.outputs),
    };
  } catch {
    return undefined;
  }
}
