import { splitNoteRecords } from '../decision-record.js';
import type { RecordProblemEntry } from './audit-report.js';
import type { NoteRevision } from './note-facts.js';

/**
 * Notes are append-only: every change to a note must keep each record it held before. A revision that
 * drops or alters one (`git notes add -f`, `git notes edit`, `git notes remove`) rewrote the record of a
 * decision, and every record on that commit stops being trusted.
 */
export function findRewrittenNotes(revisions: readonly NoteRevision[]): RecordProblemEntry[] {
  const problems: RecordProblemEntry[] = [];
  for (const revision of revisions) {
    if (revision.before === null) continue;
    const kept = new Set(revision.after === null ? [] : splitNoteRecords(revision.after));
    const lost = splitNoteRecords(revision.before).filter((record) => !kept.has(record));
    if (lost.length === 0) continue;
    const short = revision.commit.slice(0, 7);
    const by = `notes commit ${revision.notesCommit.slice(0, 7)} (${revision.committedAt})`;
    problems.push({
      commit: revision.commit,
      rule: 'record/rewritten',
      message:
        revision.after === null
          ? `the decision note on ${short} was removed by ${by}: notes are append-only`
          : `the decision note on ${short} was rewritten by ${by}: ${lost.length} earlier record(s) removed or changed; notes are append-only`,
    });
  }
  return problems;
}
