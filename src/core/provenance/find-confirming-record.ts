import { parseDecisionNote, type DecisionRecord, type RecordProblem } from '../decision-record.js';

export interface ConfirmingRecord {
  record?: DecisionRecord;
  /** Why the note's records could not be trusted: reported when no record confirms the file. */
  problems: RecordProblem[];
}

/**
 * The decision record that confirms a file's version, if any. An apply run writes a record on the commit
 * a confirmed pull request landed as; it confirms the file when it is well formed, matches its digest,
 * carries a seal made with the apply workflow's notes key (docs/decisions/0023), is about this very
 * commit, names the pull request, lists the file among the grant or rules changes it judged, and — for a
 * merge commit — names as the pull request's final head the head the merge actually brought. Anything
 * else (an unsealed or altered record, one copied from another commit, an expire run's record, a record
 * of drift with no pull request) confirms nothing; the commit is then asked about again.
 */
export function findConfirmingRecord(noteText: string, commit: string, parents: readonly string[], path: string, key: string): ConfirmingRecord {
  const { records, problems } = parseDecisionNote(noteText, commit, { key });
  const record = records.find((r) => {
    const pr = r.pullRequest;
    if (r.kind !== 'apply' || pr === undefined) return false;
    if (parents.length > 1 && parents[1] !== pr.headSha) return false;
    return r.grants.some((g) => g.file === path) || (r.rulesChange?.files.includes(path) ?? false);
  });
  return record ? { record, problems: [] } : { problems };
}
