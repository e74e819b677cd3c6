import { parseDecisionNote, type DecisionRecord, type NoteReadOptions } from '../decision-record.js';
import type { RecordProblemEntry } from './audit-report.js';
import { findRewrittenNotes } from './find-rewritten-notes.js';
import type { NoteFacts } from './note-facts.js';

/** The decision records an auditor can rely on, and what is wrong with the rest. */
export interface DecisionNoteSet {
  /** False when the clone holds no notes ref at all. */
  present: boolean;
  /** Trusted records by the commit they are on; a rewritten note's records are all left out. */
  records: Map<string, DecisionRecord[]>;
  /** Every problem: unparseable, schema, version, digest, wrong commit, rewritten. */
  problems: RecordProblemEntry[];
}

/**
 * Reads every note and its history: one trusted set of records, every problem a finding. Given the apply
 * workflow's notes key, a record without a seal made with it is a problem too, and is not trusted.
 */
export function readDecisionNotes(notes: NoteFacts, options: NoteReadOptions = {}): DecisionNoteSet {
  const problems: RecordProblemEntry[] = [];
  const records = new Map<string, DecisionRecord[]>();
  const rewritten = findRewrittenNotes(notes.revisions);
  const untrusted = new Set(rewritten.map((p) => p.commit));
  problems.push(...rewritten);
  for (const note of notes.notes) {
    const parsed = parseDecisionNote(note.text, note.commit, options);
    problems.push(...parsed.problems);
    if (!untrusted.has(note.commit) && parsed.records.length > 0) records.set(note.commit, parsed.records);
  }
  return { present: notes.present, records, problems };
}
