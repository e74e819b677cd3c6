import type { DecisionRecord } from '../decision-record.js';
import { classifyPath, isRulesFile } from '../parse-access-repo.js';
import type { RecordProblemEntry } from './audit-report.js';
import type { CommitFact, FileChange, HistoryFacts } from './commit-facts.js';
import type { DecisionNoteSet } from './read-decision-notes.js';

/** A commit of the default branch that changed the access directory: where a decision must exist. */
export interface Landing {
  commit: CommitFact;
  /** Its real parents (a merge's second parent is the head it merged). */
  parents: string[];
  /** Position on the first-parent chain, 0 for the oldest commit. */
  index: number;
  grantChanges: FileChange[];
  /** Changes to grantops.yaml, people.yaml, resources/**: they change the rules themselves. */
  ruleChanges: FileChange[];
  /** At the edge of a shallow clone: its changes compare with nothing, so they say nothing. */
  boundary: boolean;
  /** The access directory's first commit: its rules had nothing to be judged by. */
  root: boolean;
  /** The commits of the pull request branch it merged, oldest first (empty for a non-merge). */
  proposals: CommitFact[];
}

export interface AuditIndex {
  dir: string;
  head: string | null;
  commits: ReadonlyMap<string, CommitFact>;
  /** First-parent chain position by sha (0 = oldest). */
  chainIndex: ReadonlyMap<string, number>;
  landings: Landing[];
  /** Trusted records by the commit they are on (records of a rewritten note are left out). */
  records: ReadonlyMap<string, DecisionRecord[]>;
  /** Every note problem (unparseable, schema, digest, wrong commit, rewritten), by commit. */
  problems: RecordProblemEntry[];
  shallowBoundary: ReadonlySet<string>;
  notesPresent: boolean;
  oldestCommitAt?: string;
}

/**
 * Puts the facts read from git in order: which commits reached the default branch, which pull-request
 * commits each merge brought, and which decision records can be trusted. Linear in the history's size.
 */
export function indexAuditFacts(history: HistoryFacts, notes: DecisionNoteSet): AuditIndex {
  const { dir } = history;
  const commits = new Map(history.commits.map((c) => [c.sha, c]));
  const chain = [...history.chain].reverse();
  const chainIndex = new Map(chain.map((c, i) => [c.sha, i]));
  const boundary = new Set(history.shallow?.boundary ?? []);

  const claimed = new Set<string>();
  const landings: Landing[] = [];
  for (const [index, link] of chain.entries()) {
    const commit = commits.get(link.sha);
    if (!commit) continue;
    const proposals = collectProposals(commit, commits, chainIndex, claimed);
    const inDir = commit.changes.filter((c) => c.path.startsWith(`${dir}/`));
    const grantChanges = inDir.filter((c) => classifyPath(dir, c.path).kind === 'grant');
    const ruleChanges = inDir.filter((c) => isRulesFile(dir, c.path));
    if (grantChanges.length === 0 && ruleChanges.length === 0) continue;
    landings.push({
      commit,
      parents: link.parents,
      index,
      grantChanges,
      ruleChanges,
      boundary: boundary.has(commit.sha),
      // The access directory's first commit brings the rules nobody could have approved yet, as the
      // Action treats it. Seen through a shallow clone, the first visible landing may not be it.
      root: landings.length === 0 && boundary.size === 0,
      proposals,
    });
  }

  const oldest = history.commits.reduce<string | undefined>((min, c) => (min === undefined || Date.parse(c.committedAt) < Date.parse(min) ? c.committedAt : min), undefined);
  return {
    dir,
    head: history.head,
    commits,
    chainIndex,
    landings,
    records: notes.records,
    problems: notes.problems,
    shallowBoundary: boundary,
    notesPresent: notes.present,
    ...(oldest === undefined ? {} : { oldestCommitAt: oldest }),
  };
}

/**
 * The pull request commits a merge brought: those reachable from its second (and later) parents that
 * neither the branch nor an earlier merge holds. Merges are visited oldest first, so each commit is
 * claimed once, by the merge that brought it.
 */
function collectProposals(merge: CommitFact, commits: ReadonlyMap<string, CommitFact>, chainIndex: ReadonlyMap<string, number>, claimed: Set<string>): CommitFact[] {
  if (merge.parents.length < 2) return [];
  const found: CommitFact[] = [];
  const queue = merge.parents.slice(1);
  while (queue.length > 0) {
    const sha = queue.pop()!;
    if (claimed.has(sha) || chainIndex.has(sha)) continue;
    claimed.add(sha);
    const commit = commits.get(sha);
    if (!commit) continue;
    found.push(commit);
    queue.push(...commit.parents);
  }
  return found.sort((a, b) => Date.parse(a.authoredAt) - Date.parse(b.authoredAt));
}
