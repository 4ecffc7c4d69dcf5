/**
 * Parsers for what an action writes, as the runner reads it: the heredoc file-command format
 * of GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE (`name<<DELIM\nvalue\nDELIM`, or legacy
 * `name=value`), and the `::command::` lines on stdout.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++]!);
      if (i >= lines.length)
        throw new Error(`unterminated heredoc for ${name!} (delimiter ${delimiter!})`);
      result[name!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed file-command line: ${line}`);
    result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

export interface WorkflowCommand {
  readonly command: string;
  readonly properties: string;
  readonly value: string;
}

/** `::add-mask::x`, `::error file=a::msg`, … (values are percent-escaped by the toolkit). */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?:\s+([^:]*))?::(.*)$/.exec(line);
    if (m) commands.push({ command: m[1]!, properties: m[2] ?? '', value: unescapeData(m[3]!) });
  }
  return commands;
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
