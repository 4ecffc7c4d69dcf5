/**
 * JUnit XML: one test suite per file, one test case per rule that applies, failed for each
 * unsuppressed finding and skipped for suppressed ones. CI systems without a SARIF or Code
 * Quality viewer still show the findings in their test tab.
 */
import type { ScanResult } from '../engine.ts';
import type { Finding } from '../finding.ts';

function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // XML 1.0 forbids most control characters even when escaped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
  );
}

function testCase(finding: Finding): string {
  const name = escapeXml(`${finding.ruleId} ${finding.file}:${finding.line}:${finding.column}`);
  const attributes = `name="${name}" classname="${escapeXml(finding.file)}"`;
  if (finding.suppression !== null) {
    return `    <testcase ${attributes}>\n      <skipped message="${escapeXml(
      `suppressed by ${finding.suppression.by}: ${finding.suppression.reason}`,
    )}"/>\n    </testcase>`;
  }
  const body = `${finding.message}\nFix: ${finding.fix}\nSeverity: ${finding.severity}; invariants: ${
    finding.invariants.join(', ') || 'none'
  }`;
  return `    <testcase ${attributes}>\n      <failure type="${finding.severity}" message="${escapeXml(
    finding.message,
  )}">${escapeXml(body)}</failure>\n    </testcase>`;
}

export function renderJunit(result: ScanResult): string {
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  const failures = result.findings.filter((finding) => finding.suppression === null).length;
  const suites = [...byFile.entries()].map(([file, findings]) => {
    const failed = findings.filter((finding) => finding.suppression === null).length;
    return `  <testsuite name="${escapeXml(file)}" tests="${findings.length}" failures="${failed}" skipped="${
      findings.length - failed
    }" errors="0">\n${findings.map(testCase).join('\n')}\n  </testsuite>`;
  });
  // A clean scan still reports one passing case, so CI shows that the gate ran.
  if (suites.length === 0) {
    suites.push(
      `  <testsuite name="wif scan" tests="1" failures="0" skipped="0" errors="0">\n    <testcase name="no findings in ${result.files} files" classname="wif"/>\n  </testsuite>`,
    );
  }
  const tests = Math.max(result.findings.length, 1);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wif scan" tests="${tests}" failures="${failures}">\n${suites.join(
    '\n',
  )}\n</testsuites>\n`;
}
