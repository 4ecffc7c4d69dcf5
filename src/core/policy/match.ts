/**
 * Wildcard matching as the services define it. AWS `StringLike` and Azure `matches` treat `*`
 * and `?` as wildcards; Vault `glob` bound claims treat only `*` as one (`?` is literal).
 */
export interface WildcardOptions {
  /** Whether `?` stands for exactly one character. */
  readonly questionMark: boolean;
  readonly ignoreCase?: boolean;
}

export function wildcardMatch(pattern: string, value: string, options: WildcardOptions): boolean {
  const p = options.ignoreCase === true ? pattern.toLowerCase() : pattern;
  const v = options.ignoreCase === true ? value.toLowerCase() : value;
  // Iterative two-pointer match with backtracking to the last `*`: linear memory, no regex
  // built from untrusted input.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === '*') {
      star = pi;
      pi += 1;
      mark = vi;
    } else if (pc !== undefined && (pc === v[vi] || (options.questionMark && pc === '?'))) {
      pi += 1;
      vi += 1;
    } else if (star !== -1) {
      pi = star + 1;
      mark += 1;
      vi = mark;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}

export function hasWildcard(pattern: string, options: WildcardOptions): boolean {
  return pattern.includes('*') || (options.questionMark && pattern.includes('?'));
}
