import type { Diagnostic } from './diagnostic.js';

/** `models/fraud-detector.ts:12:5 - error MP2003: message` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''} - ` : '';
  return `${where}${d.severity} ${d.code}: ${d.message}`;
}

/** GitHub Actions workflow command, so the diagnostic shows inline on the pull request. */
export function formatAnnotation(d: Diagnostic): string {
  const props = [
    d.file ? `file=${escapeProperty(d.file)}` : undefined,
    d.line ? `line=${d.line}` : undefined,
    d.column ? `col=${d.column}` : undefined,
    `title=${escapeProperty(d.code)}`,
  ].filter(Boolean);
  return `::${d.severity} ${props.join(',')}::${escapeData(d.message)}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
