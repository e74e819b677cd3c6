/**
 * The pull request number GitHub writes into the subject of the commit a pull request lands as:
 * `Merge pull request #12 from owner/branch` (merge commits) or `Title (#12)` (squash merges).
 * Only a hint for the report: a subject is anyone's to write, so it never counts as a decision record.
 */
export function findPullRequestNumber(subject: string): number | undefined {
  const match = /^Merge pull request #(\d+)\b/.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
  return match ? Number(match[1]) : undefined;
}
