import { readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { writeFileAtomic } from '../adapters/file/atomic-write.js';
import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { START, diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import { importPeopleCsv, relocateToCsv } from '../core/people-import/import-people-csv.js';

export interface ImportPeopleReport {
  /** True when people.yaml was rewritten (something was added or updated, and everything validated). */
  written: boolean;
  added: string[];
  updated: string[];
  unchanged: string[];
  diagnostics: Diagnostic[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Imports people from CSV into people.yaml. Nothing is written unless every row is good and the whole
 * access directory, with the new people.yaml, validates; the write itself is atomic.
 */
export async function importPeople(root: string, dir: string, csvPath: string, now: Date): Promise<ImportPeopleReport> {
  const report: ImportPeopleReport = { written: false, added: [], updated: [], unchanged: [], diagnostics: [] };
  const csvFile = relative(root, csvPath).split(sep).join(posix.sep);
  const csvText = await readCsv(csvPath, csvFile, report.diagnostics);
  if (csvText === undefined) return report;

  const snapshot = await readAccessDir(root, dir);
  const peopleFile = posix.join(snapshot.dir, 'people.yaml');
  const unreadable = (snapshot.unreadable ?? []).find((u) => u.path === peopleFile || u.path === snapshot.dir);
  if (unreadable) {
    report.diagnostics.push(diagnostic(unreadable.path, START, 'file/unreadable', unreadable.reason));
    return report;
  }
  const current = snapshot.files.find((f) => f.path === peopleFile);
  let currentText: string | undefined;
  try {
    currentText = current === undefined ? undefined : typeof current.content === 'string' ? current.content : utf8.decode(current.content);
  } catch {
    report.diagnostics.push(diagnostic(peopleFile, START, 'file/encoding', 'file is not valid UTF-8'));
    return report;
  }

  const merged = importPeopleCsv(csvFile, csvText, peopleFile, currentText);
  Object.assign(report, { added: merged.added, updated: merged.updated, unchanged: merged.unchanged, diagnostics: merged.diagnostics });
  if (merged.text === undefined) return report;

  const files = [...snapshot.files.filter((f) => f.path !== peopleFile), { path: peopleFile, content: merged.text }];
  const { diagnostics } = loadAccessRepo({ ...snapshot, files }, now);
  report.diagnostics = sortDiagnostics(relocateToCsv(diagnostics, csvFile, peopleFile, merged.text, merged.rows));
  if (hasErrors(report.diagnostics)) return report;
  if (merged.text !== currentText) {
    await writeFileAtomic(join(root, peopleFile), merged.text);
    report.written = true;
  }
  return report;
}

async function readCsv(path: string, file: string, diagnostics: Diagnostic[]): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    diagnostics.push(diagnostic(file, START, 'file/unreadable', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a CSV file' : `cannot read the file (${code ?? String(error)})`));
    return undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    diagnostics.push(diagnostic(file, START, 'file/encoding', 'file is not valid UTF-8 (export the CSV as UTF-8)'));
    return undefined;
  }
}
