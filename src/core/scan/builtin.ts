/**
 * Findings the engine itself raises: a file that could not be parsed, and a suppression that
 * cannot be honoured. They carry metadata like any rule so every reporter can describe them.
 */
import type { RuleMeta } from './rule.ts';

export const PARSE_ERROR: RuleMeta = {
  id: 'WIF-PARSE',
  title: 'File could not be parsed',
  invariants: [],
  severity: 'high',
  appliesTo: [],
  message: 'The file is not valid YAML, JSON or HCL, so none of its invariants were checked.',
  fix: 'Fix the syntax at the reported line, or exclude the file with --exclude if it is not configuration.',
  docsAnchor: 'wif-parse',
};

export const BAD_SUPPRESSION: RuleMeta = {
  id: 'WIF-SUPPRESS',
  title: 'Suppression without a justification',
  invariants: [],
  severity: 'medium',
  appliesTo: [],
  message:
    'A suppression is missing its justification or has a malformed expiry, so it is ignored.',
  fix: 'Write it as `<rule or INV-n>: <why>[; until=YYYY-MM-DD]` (annotation) or `# wif:ignore <rule> <why>` (comment).',
  docsAnchor: 'wif-suppress',
};

export const BUILTIN_RULES: readonly RuleMeta[] = [PARSE_ERROR, BAD_SUPPRESSION];
