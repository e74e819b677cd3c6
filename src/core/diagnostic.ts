/** A problem found in the access repository, located so a person (or a check-run annotation) can find it. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole and no position exists. */
  line: number;
  column: number;
  /** Stable id of the rule that found the problem, e.g. `schema/additional-property`. */
  rule: string;
  message: string;
  severity: Severity;
  /** For schema problems: the path of the offending value inside the document. */
  path?: (string | number)[];
}

export interface Position {
  line: number;
  column: number;
}

export const START: Position = { line: 1, column: 1 };

export function diagnostic(
  file: string,
  at: Position,
  rule: string,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return { file, line: at.line, column: at.column, rule, message, severity };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders by file, then position, so output is stable whatever order checks ran in. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
}
