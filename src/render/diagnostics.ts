import type { Diagnostic } from '../core/diagnostic.js';

export type DiagnosticFormat = 'text' | 'json' | 'github';

/** `file:line:col severity rule message`, the shape editors and terminals link. */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[]): string {
  const lines = diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  lines.push(errors === 0 ? `valid (${warnings} warning${warnings === 1 ? '' : 's'})` : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n');
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub workflow commands: each diagnostic becomes an annotation on the file and line. */
export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [`file=${escapeProperty(d.file)}`];
      if (d.line > 0) props.push(`line=${d.line}`, `col=${d.column}`);
      props.push(`title=${escapeProperty(d.rule)}`);
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(d.message)}`;
    })
    .join('\n');
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], format: DiagnosticFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics }, null, 2);
    case 'github':
      return renderDiagnosticsGithub(diagnostics);
    default:
      return renderDiagnosticsText(diagnostics);
  }
}
