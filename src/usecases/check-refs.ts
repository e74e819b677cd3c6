import type { TeamMembers } from '../core/approval/approver-pool.js';
import type { ChangedFile, EscalateSensitivity } from '../core/approval/approval-input.js';
import type { ApprovalResult } from '../core/approval/approval-result.js';
import { evaluateApproval } from '../core/approval/evaluate-approval.js';
import { findAuthorByEmail } from '../core/approval/find-author-by-email.js';
import type { PullRequestSnapshot, Review } from '../core/approval/pull-request.js';
import { classifyPath, isRulesFile, parseAccessRepo } from '../core/parse-access-repo.js';
import { selectRuleFiles } from '../core/approval/rules-from-base.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { GitChangedPath, GitRefReader } from '../ports.js';
import type { GrantRiskSource, PreparedGrantRisk } from './grant-risk.js';

export interface CheckRefsRequest {
  base: string;
  head: string;
  /** The access directory, repository-relative. */
  dir: string;
  /** The requester's login; when absent, derived from the head commit's author email through people.yaml. */
  author?: string;
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
  /** Where the head branched off the base: the grants' "before" versions are read there. */
  mergeBaseSha: string;
  author: string;
  /** How the author was found: given, or derived from the head commit's email. */
  authorFrom: 'option' | 'commit-email';
  result: ApprovalResult;
  risk?: PreparedGrantRisk;
}

/** A usage problem the caller can fix (exit 2 with the message, no stack). */
export class CheckRefsError extends Error {}

/**
 * `grantops check`: the approval evaluator between two refs of a local repository, read with git and no
 * checkout. Reads only what the evaluator needs: the base's rule files, and the changed files at both ends.
 */
export async function checkRefs(git: GitRefReader, request: CheckRefsRequest): Promise<CheckRefsReport> {
  const [baseSha, headSha] = await Promise.all([git.resolveCommit(request.base), git.resolveCommit(request.head)]);
  const mergeBaseSha = await git.mergeBase(baseSha, headSha);
  const dir = request.dir;

  const [rulesAtBase, changed] = await Promise.all([
    git.readTree(baseSha, dir, { include: (p) => isRulesFile(dir, p) }),
    git.listChangedPaths(mergeBaseSha, headSha),
  ]);
  const inDir = (p: string) => p.startsWith(`${dir}/`);
  const wanted = (p: string) => inDir(p) && (classifyPath(dir, p).kind !== 'other' || /\.ya?ml$/.test(p));
  const changes = await readChangedFiles(git, changed.filter((c) => wanted(c.path) || (c.oldPath !== undefined && wanted(c.oldPath))), mergeBaseSha, headSha, dir, wanted);

  const { author, authorFrom } = await findAuthor(git, request, rulesAtBase, headSha);
  const at = request.now.toISOString();
  const reviews: Review[] = request.approvals.map((reviewer) => ({ reviewer, state: 'APPROVED', commitSha: headSha, submittedAt: at }));
  const pr: PullRequestSnapshot = {
    author,
    headSha,
    baseSha,
    // A rename touches both paths, as GitHub lists them.
    changedFiles: [...new Set(changed.flatMap((c) => (c.oldPath !== undefined && c.status === 'renamed' ? [c.oldPath, c.path] : [c.path])))],
    reviews,
  };
  const risk = await request.risk?.(rulesAtBase);
  const escalate = request.escalate ?? risk?.escalate;
  const result = evaluateApproval({ rulesAtBase, changes, pr, now: request.now, ...(escalate && { escalate }), ...(request.teams && { teams: request.teams }) });
  return { baseSha, headSha, mergeBaseSha, author, authorFrom, result, ...(risk && { risk }) };
}

/**
 * Base versions of grant files come from the merge base (what the branch changed); rule files need only the
 * head. Contents are read by the blob ids the diff already gave, in one batch.
 */
async function readChangedFiles(
  git: GitRefReader,
  changed: readonly GitChangedPath[],
  mergeBaseSha: string,
  headSha: string,
  dir: string,
  wanted: (p: string) => boolean,
): Promise<ChangedFile[]> {
  const isGrant = (p: string) => classifyPath(dir, p).kind === 'grant';
  const files = new Map<string, ChangedFile>();
  const entry = (path: string) => files.get(path) ?? files.set(path, { path }).get(path)!;
  const reads: { path: string; side: 'base' | 'head'; oid?: string }[] = [];
  for (const c of changed) {
    const oldPath = c.oldPath ?? c.path;
    // A renamed grant is its old path given up and its new path asked for.
    if (c.status === 'renamed' && wanted(oldPath)) {
      entry(oldPath);
      if (isGrant(oldPath)) reads.push({ path: oldPath, side: 'base', ...(c.oldOid !== undefined && { oid: c.oldOid }) });
    }
    if (!wanted(c.path)) continue;
    entry(c.path); // present even when deleted: a change with no head is a deletion
    if (c.status !== 'deleted') reads.push({ path: c.path, side: 'head', ...(c.oid !== undefined && { oid: c.oid }) });
    if ((c.status === 'modified' || c.status === 'type-changed' || c.status === 'deleted') && isGrant(c.path)) {
      reads.push({ path: c.path, side: 'base', ...(c.oldOid !== undefined && { oid: c.oldOid }) });
    }
  }
  // Entries without a blob id (a symlink, say) are read by path, so whatever stands there is judged.
  const byId = await git.readBlobs([...new Set(reads.flatMap((r) => (r.oid !== undefined ? [r.oid] : [])))]);
  const headByPath = await git.readFiles(headSha, reads.filter((r) => r.oid === undefined && r.side === 'head').map((r) => r.path));
  const baseByPath = await git.readFiles(mergeBaseSha, reads.filter((r) => r.oid === undefined && r.side === 'base').map((r) => r.path));
  for (const read of reads) {
    const content = read.oid !== undefined ? byId.get(read.oid) : (read.side === 'head' ? headByPath : baseByPath).get(read.path);
    if (content) entry(read.path)[read.side] = content;
    else if (read.side === 'head') entry(read.path).headUnreadable = 'not a regular file at the head (a symlink or a submodule): access files must be plain files';
  }
  return [...files.values()];
}

async function findAuthor(
  git: GitRefReader,
  request: CheckRefsRequest,
  rulesAtBase: RepoSnapshot,
  headSha: string,
): Promise<{ author: string; authorFrom: CheckRefsReport['authorFrom'] }> {
  if (request.author !== undefined && request.author.trim() !== '') return { author: request.author.trim(), authorFrom: 'option' };
  const { email } = await git.commitAuthor(headSha);
  const login = findAuthorByEmail(parseAccessRepo(selectRuleFiles(rulesAtBase)).repo, email);
  if (login === undefined) {
    throw new CheckRefsError(`cannot tell who requests this: the head commit's author email "${email}" matches nobody (or several people) in people.yaml at the base; pass --author LOGIN`);
  }
  return { author: login, authorFrom: 'commit-email' };
}
