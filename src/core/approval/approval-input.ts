import type { GrantFile, Resource } from '../model.js';
import type { RepoSnapshot } from '../repo-file.js';
import type { TeamMembers } from './approver-pool.js';
import type { PullRequestSnapshot } from './pull-request.js';

export type FileContent = string | Uint8Array;

/**
 * One file of the access directory that the pull request touches, with the contents the evaluator
 * needs and nothing more. A rename arrives as two entries: the old path deleted, the new path added.
 */
export interface ChangedFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  /** Content at the base. Absent when the file is new. For rule files it is not needed (the base snapshot has it). */
  base?: FileContent;
  /** Content at the head. Absent when the pull request deletes the file. */
  head?: FileContent;
  /** Set (to the reason) when something other than a regular file stands at the path at the head: an error. */
  headUnreadable?: string;
}

/** How many levels a grant's sensitivity rises above its resource's, and why (e.g. a high-risk resource). */
export interface SensitivityEscalation {
  levels: number;
  why: string;
}

/** A hook for rules that raise a grant's sensitivity; it returns undefined (or 0 levels) when nothing applies. */
export type EscalateSensitivity = (grant: GrantFile, resource: Resource) => SensitivityEscalation | undefined;

/**
 * Everything the approval evaluator looks at. Deliberately NOT the whole grant set: a pull request touching
 * F grant files needs the base's rule files plus 2·F contents at most.
 */
export interface ApprovalInput {
  /**
   * The rule files at the base commit: `grantops.yaml`, `people.yaml`, `resources/**`. They are the rules
   * the pull request is judged by (DESIGN §3 rule 1), never the head's. Grant files in it are ignored.
   */
  rulesAtBase: RepoSnapshot;
  /**
   * Every changed file under the access directory: grant files with their base and head content, rule files
   * with their head content (validated, and their change needs an org owner). Paths of
   * `pr.changedFiles` outside the access directory need no entry.
   */
  changes: ChangedFile[];
  /** Author, head SHA, reviews, and every changed path (`changedFiles`) of the pull request. */
  pr: PullRequestSnapshot;
  /**
   * Every grant file at the base (the same commit as `rulesAtBase`). Needed only when the pull request
   * changes rule files under the access directory (`needsGrantsAtBase`): the tree the merge produces is
   * validated whole then. Missing when needed, the pull request fails (closed).
   */
  grantsAtBase?: RepoSnapshot;
  /** The time limits and approval expiries are judged at. */
  now: Date;
  /** Raises a grant's effective sensitivity (default: never). */
  escalate?: EscalateSensitivity;
  /**
   * Members of the teams the base's rules name (`listRuleTeams`), as GitHub or `check --teams` gives
   * them. Absent: no team's members are known, and a rule that depends on one is an error.
   */
  teams?: TeamMembers;
}
