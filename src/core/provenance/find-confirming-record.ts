import { parseDecisionNote, type DecisionRecord } from '../decision-record.js';

/**
 * The decision record that confirms a file's version, or undefined. An apply run writes a record on the
 * commit a confirmed pull request landed as; it confirms the file when it is well formed and matches its
 * digest, is about this very commit, names the pull request, lists the file among the grant or rules
 * changes it judged, and — for a merge commit — names as the pull request's final head the head the merge
 * actually brought. Anything else (an edited record, one copied from another commit, an expire run's
 * record, a record of drift with no pull request) confirms nothing; the commit is then asked about again.
 */
export function findConfirmingRecord(noteText: string, commit: string, parents: readonly string[], path: string): DecisionRecord | undefined {
  const { records } = parseDecisionNote(noteText, commit);
  return records.find((record) => {
    const pr = record.pullRequest;
    if (record.kind !== 'apply' || pr === undefined) return false;
    if (parents.length > 1 && parents[1] !== pr.headSha) return false;
    return record.grants.some((g) => g.file === path) || (record.rulesChange?.files.includes(path) ?? false);
  });
}
