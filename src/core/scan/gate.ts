/**
 * The merge gate: `--fail-on critical|high|medium|low|never`. Exit 1 when an unsuppressed
 * finding reaches the threshold, 0 otherwise; usage and configuration errors exit 2 elsewhere.
 */
import type { Finding } from './finding.ts';
import { isSeverity, reaches } from './severity.ts';
import type { Severity } from './severity.ts';

export type FailOn = Severity | 'never';

export const FAIL_ON_VALUES: readonly FailOn[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
  'never',
];

export function isFailOn(value: string): value is FailOn {
  return value === 'never' || isSeverity(value);
}

export function gateExitCode(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  return findings.some(
    (finding) => finding.suppression === null && reaches(finding.severity, failOn),
  )
    ? 1
    : 0;
}
