import { readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { writeFileAtomic } from '../adapters/file/atomic-write.js';
import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import { importPeopleCsv } from '../core/import-people-csv.js';
import { loadAccessRepo } from '../core/load-access-repo.js';

export interface ImportPeopleReport {
  written: boolean;
  added: string[];
  updated: string[];
  unchanged: string[];
  diagnostics: Diagnostic[];
}

/**
 * Imports people from CSV into people.yaml. Nothing is written unless every row is good and the whole
 * access directory, with the new people.yaml, validates; the write itself is atomic.
 */
export async function importPeople(root: string, dir: string, csvPath: string, now: Date): Promise<ImportPeopleReport> {
  const snapshot = await readAccessDir(root, dir);
  const peoplePath = posix.join(snapshot.dir, 'people.yaml');
  const current = snapshot.files.find((f) => f.path === peoplePath);
  const currentText = current ? Buffer.from(current.content).toString('utf8') : undefined;
  const csvRel = relative(root, csvPath).split(sep).join('/');
  const csvText = await readFile(csvPath, 'utf8');

  const merged = importPeopleCsv(csvRel, csvText, peoplePath, currentText);
  const report: ImportPeopleReport = { written: false, added: merged.added, updated: merged.updated, unchanged: merged.unchanged, diagnostics: merged.diagnostics };
  if (merged.text === undefined) return report;

  const files = [...snapshot.files.filter((f) => f.path !== peoplePath), { path: peoplePath, content: merged.text }];
  const { diagnostics } = loadAccessRepo({ ...snapshot, files }, now);
  report.diagnostics = diagnostics;
  if (hasErrors(diagnostics)) return report;
  if (merged.added.length + merged.updated.length > 0) {
    await writeFileAtomic(join(root, peoplePath), merged.text);
    report.written = true;
  }
  return report;
}
