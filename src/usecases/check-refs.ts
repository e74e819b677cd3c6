import type { TeamMembers } from '../core/approval/approver-pool.js';
import type { ChangedFile, EscalateSensitivity } from '../core/approval/approval-input.js';
import type { ApprovalResult } from '../core/approval/approval-result.js';
import { evaluateApproval } from '../core/approval/evaluate-approval.js';
import { needsGrantsAtBase } from '../core/approval/merged-tree.js';
import type { PullRequestSnapshot, Review } from '../core/approval/pull-request.js';
import { classifyPath, isRulesFile } from '../core/parse-access-repo.js';
import { UsageError } from '../core/usage-error.js';
import type { GitChangedPath, GitRefReader } from '../ports.js';
import type { GrantRiskSource, PreparedGrantRisk } from './grant-risk.js';

/** Who asks, and how that is known: given (`--author`), from the pull request event, or only configured. */
export interface CheckAuthor {
  login: string;
  from: 'option' | 'pull-request-event' | 'git-config';
}

export interface CheckRefsRequest {
  base: string;
  head: string;
  /** The access directory, repository-relative. */
  dir: string;
  /**
   * The requester. `option` and `pull-request-event` are proven; `git-config` (github.user) is a claim
   * that counts only for asking for oneself. Absent: the check refuses to guess (never the commit email).
   */
  author?: CheckAuthor;
  /** Logins whose approval of the head commit is assumed (a reviewer list from another CI system). */
  approvals: readonly string[];
  now: Date;
  escalate?: EscalateSensitivity;
  /** Risk of the grants, prepared from the base's rules: escalates (unless `escalate` is given) and is reported. */
  risk?: GrantRiskSource;
  /** Team memberships (`--teams FILE`); without them a rule naming a team is an error. */
  teams?: TeamMembers;
}

export interface CheckRefsReport {
  baseSha: string;
  headSha: string;
  /** Where the head branched off the base: the changed paths are those from here to the head, as GitHub lists them. */
  mergeBaseSha: string;
  author: string;
  authorFrom: CheckAuthor['from'];
  result: ApprovalResult;
  risk?: PreparedGrantRisk;
}

/**
 * `grantops check`: the approval evaluator between two refs of a local repository, read with git and no
 * checkout, judging what the app judges: the paths the pull request changes (merge base to head, as
 * GitHub lists them), each from its version at the base tip to its version at the head, which is the
 * change the merge makes to the base tip. A path the base also changed since the branch point would be
 * merged from both sides, which neither version shows: refused until the branch is brought up to date.
 */
export async function checkRefs(git: GitRefReader, request: CheckRefsRequest): Promise<CheckRefsReport> {
  const [baseSha, headSha] = [await git.resolveBranchOrCommit(request.base), await git.resolveBranchOrCommit(request.head)];
  const mergeBaseSha = await git.mergeBase(baseSha, headSha);
  const dir = request.dir;
  const author = requireAuthor(request.author);

  const [rulesAtBase, changed, sinceBranching] = await Promise.all([
    git.readTree(baseSha, dir, { include: (p) => isRulesFile(dir, p) }),
    git.listChangedPaths(mergeBaseSha, headSha),
    git.listChangedPaths(mergeBaseSha, baseSha, { dir }),
  ]);
  const inDir = (p: string) => p.startsWith(`${dir}/`);
  const changedFiles = touchedPaths(changed);
  refuseBothSides(changedFiles.filter(inDir), touchedPaths(sinceBranching), request.base);
  const changes = await readChangedFiles(git, changed.filter((c) => inDir(c.path) || (c.oldPath !== undefined && inDir(c.oldPath))), baseSha, headSha, dir, inDir);
  const grantsAtBase = needsGrantsAtBase(dir, changedFiles) ? await git.readTree(baseSha, dir, { include: (p) => classifyPath(dir, p).kind === 'grant' }) : undefined;

  const at = request.now.toISOString();
  const reviews: Review[] = request.approvals.map((reviewer) => ({ reviewer, state: 'APPROVED', commitSha: headSha, submittedAt: at }));
  const pr: PullRequestSnapshot = {
    author: author.login,
    ...(author.from === 'git-config' && { authorProof: 'claimed' as const }),
    headSha,
    baseSha,
    // A rename touches both paths, as GitHub lists them.
    changedFiles,
    reviews,
  };
  const risk = await request.risk?.(rulesAtBase);
  const escalate = request.escalate ?? risk?.escalate;
  const result = evaluateApproval({ rulesAtBase, changes, pr, now: request.now, ...(grantsAtBase && { grantsAtBase }), ...(escalate && { escalate }), ...(request.teams && { teams: request.teams }) });
  return { baseSha, headSha, mergeBaseSha, author: author.login, authorFrom: author.from, result, ...(risk && { risk }) };
}

/** Every path a change touches: for a rename, both the old and the new one (as GitHub lists them). */
function touchedPaths(changed: readonly GitChangedPath[]): string[] {
  return [...new Set(changed.flatMap((c) => (c.status === 'renamed' && c.oldPath !== undefined ? [c.oldPath, c.path] : [c.path])))];
}

function requireAuthor(author: CheckAuthor | undefined): CheckAuthor {
  if (author && author.login.trim() !== '') return { ...author, login: author.login.trim() };
  throw new UsageError(
    'cannot tell who asks: pass --author LOGIN, set git config github.user LOGIN (counts only for asking for yourself), or run check in the pull request\'s workflow (the event names the author). The commit\'s author email is never used: anyone can type any email into a commit.',
  );
}

function refuseBothSides(headPaths: readonly string[], basePaths: readonly string[], base: string): void {
  const onBase = new Set(basePaths);
  const both = headPaths.filter((p) => onBase.has(p));
  if (both.length === 0) return;
  throw new UsageError(
    `${both.join(', ')} changed both on ${base} and on the head since they parted, so the merge would combine two versions neither side shows: merge ${base} into the head (or rebase it) and check again`,
  );
}

/**
 * The "before" of every changed file is the base tip (what the merge changes); the "after" is the head.
 * Every path under the access directory gets an entry, whatever its name: the evaluator decides what it
 * is. Contents are read by the blob ids the diff gave (head side) and by path at the base tip, in batches.
 */
async function readChangedFiles(
  git: GitRefReader,
  changed: readonly GitChangedPath[],
  baseSha: string,
  headSha: string,
  dir: string,
  wanted: (p: string) => boolean,
): Promise<ChangedFile[]> {
  const isGrant = (p: string) => classifyPath(dir, p).kind === 'grant';
  const files = new Map<string, ChangedFile>();
  const entry = (path: string) => files.get(path) ?? files.set(path, { path }).get(path)!;
  const heads: { path: string; oid?: string }[] = [];
  const bases: string[] = [];
  for (const c of changed) {
    const oldPath = c.oldPath ?? c.path;
    // A renamed grant is its old path given up and its new path asked for.
    if (c.status === 'renamed' && wanted(oldPath)) {
      entry(oldPath);
      if (isGrant(oldPath)) bases.push(oldPath);
    }
    if (!wanted(c.path)) continue;
    entry(c.path); // present even when deleted: a change with no head is a deletion
    if (c.status !== 'deleted') heads.push({ path: c.path, ...(c.oid !== undefined && { oid: c.oid }) });
    if (isGrant(c.path)) bases.push(c.path);
  }
  // Entries without a blob id (a symlink, say) are read by path, so whatever stands there is judged.
  const byId = await git.readBlobs([...new Set(heads.flatMap((r) => (r.oid !== undefined ? [r.oid] : [])))]);
  const headByPath = await git.readFiles(headSha, heads.filter((r) => r.oid === undefined).map((r) => r.path));
  const baseByPath = await git.readFiles(baseSha, [...new Set(bases)]);
  for (const read of heads) {
    const content = read.oid !== undefined ? byId.get(read.oid) : headByPath.get(read.path);
    if (content) entry(read.path).head = content;
    else entry(read.path).headUnreadable = 'not a regular file at the head (a symlink or a submodule): access files must be plain files';
  }
  for (const path of new Set(bases)) {
    const content = baseByPath.get(path);
    if (content) entry(path).base = content;
  }
  return [...files.values()];
}
