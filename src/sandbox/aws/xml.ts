import type { StsError } from './sts-error.ts';

/**
 * The Query protocol's XML bodies (STS API reference, "Making Query requests" and each
 * action's "Examples"): `<{Action}Response>` wrapping `<{Action}Result>` and
 * `<ResponseMetadata><RequestId>`, or `<ErrorResponse><Error>…</Error><RequestId>`.
 */
export const stsNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** An element tree small enough to write by hand; `undefined` children are left out. */
export type XmlValue = string | number | XmlElement;
export interface XmlElement {
  readonly [name: string]: XmlValue | undefined;
}

export function successXml(action: string, result: XmlElement, requestId: string): string {
  return [
    `<${action}Response xmlns="${stsNamespace}">`,
    `  <${action}Result>`,
    renderChildren(result, 2),
    `  </${action}Result>`,
    '  <ResponseMetadata>',
    `    <RequestId>${escapeXml(requestId)}</RequestId>`,
    '  </ResponseMetadata>',
    `</${action}Response>`,
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function errorXml(error: StsError, requestId: string): string {
  return [
    `<ErrorResponse xmlns="${stsNamespace}">`,
    '  <Error>',
    `    <Type>${error.type}</Type>`,
    `    <Code>${escapeXml(error.code)}</Code>`,
    `    <Message>${escapeXml(error.message)}</Message>`,
    '  </Error>',
    `  <RequestId>${escapeXml(requestId)}</RequestId>`,
    '</ErrorResponse>',
  ].join('\n');
}

function renderChildren(element: XmlElement, depth: number): string {
  const pad = '  '.repeat(depth);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(element)) {
    if (value === undefined) continue;
    if (typeof value === 'object') {
      lines.push(`${pad}<${name}>`, renderChildren(value, depth + 1), `${pad}</${name}>`);
    } else {
      lines.push(`${pad}<${name}>${escapeXml(String(value))}</${name}>`);
    }
  }
  return lines.join('\n');
}

/** Escapes text for element content and attribute values alike. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
