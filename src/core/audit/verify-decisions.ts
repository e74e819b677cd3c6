import type { ChangedFile } from '../approval/approval-input.js';
import type { ApprovalResult } from '../approval/approval-result.js';
import { evaluateApproval } from '../approval/evaluate-approval.js';
import type { DecisionRecord } from '../decision-record.js';
import type { RepoSnapshot } from '../repo-file.js';
import type { AuditFinding } from './audit-report.js';
import type { BlobContents } from './build-audit-report.js';
import type { AuditIndex, Landing } from './index-audit-facts.js';
import { findPullRequestNumber } from './pull-request-number.js';
import { verifyBreakGlass } from './verify-break-glass.js';

export interface VerifyInput {
  index: AuditIndex;
  contents: BlobContents;
  /** The rule files at each commit `listRulesToRead` named; null when the clone does not have them. */
  rules: ReadonlyMap<string, RepoSnapshot | null>;
  /**
   * Only judge changes that landed in this window and touch a file it accepts (`--since`, `--user`, ...):
   * each judgement parses the rules again, so an auditor checking last quarter need not pay for years.
   */
  scope?: VerifyScope;
  /** The time break-glass ratification windows are judged at; absent: break-glass grants are not judged. */
  now?: Date;
}

export interface VerifyScope {
  since?: Date;
  until?: Date;
  files?: (path: string) => boolean;
}

function inScope(landing: Landing, files: readonly string[], scope: VerifyScope | undefined): boolean {
  if (!scope) return true;
  const at = Date.parse(landing.commit.committedAt);
  if (scope.since && at < scope.since.getTime()) return false;
  if (scope.until && at > scope.until.getTime()) return false;
  return !scope.files || files.some(scope.files);
}

/**
 * The commits whose rule files `--verify` must read. Rules change rarely: every record judged by a commit
 * after the same rules change shares one read, so verifying thousands of merges reads a handful of trees.
 */
export function listRulesToRead(index: AuditIndex): string[] {
  const shas = new Set<string>();
  for (const landing of index.landings) {
    for (const record of index.records.get(landing.commit.sha) ?? []) {
      if (record.kind === 'apply') shas.add(rulesSourceOf(index, record.rulesSha));
    }
  }
  return [...shas];
}

const ruleLandings = new WeakMap<AuditIndex, Landing[]>();

/**
 * The commit whose rule files equal those of `sha`: the latest commit of the default branch at or before
 * it that changed them. A commit off the branch is its own source.
 */
export function rulesSourceOf(index: AuditIndex, sha: string): string {
  const at = index.chainIndex.get(sha);
  if (at === undefined) return sha;
  let changes = ruleLandings.get(index);
  if (!changes) {
    changes = index.landings.filter((l) => l.ruleChanges.length > 0 || l.boundary || l.root);
    ruleLandings.set(index, changes);
  }
  let lo = 0;
  let hi = changes.length - 1;
  let found: Landing | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]!.index <= at) {
      found = changes[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found?.commit.sha ?? sha;
}

/**
 * `grantops audit --verify`: every change that reached the default branch must carry a decision record that
 * still satisfies the rules as they stood. Each record is judged again, offline, by the same evaluator the
 * app uses: the rule files of the record's `rulesSha`, the change the commit actually brought (first parent
 * to commit), and the reviews the record holds (docs/decisions/0017), at the time the commit landed.
 * Findings, oldest first: changes with no record (direct pushes, admin bypasses), records that cannot be
 * trusted (tampered, rewritten), and records whose decision the rules do not support.
 */
export function verifyDecisions(input: VerifyInput): AuditFinding[] {
  const { index } = input;
  const findings: AuditFinding[] = [];
  const problemsByCommit = new Map<string, typeof index.problems>();
  for (const p of index.problems) problemsByCommit.set(p.commit, [...(problemsByCommit.get(p.commit) ?? []), p]);
  const problemsOf = (commit: string) => problemsByCommit.get(commit) ?? [];
  const reported = new Set<string>();

  for (const landing of index.landings) {
    if (landing.boundary) continue;
    const { commit } = landing;
    const files = [...landing.grantChanges, ...(landing.root ? [] : landing.ruleChanges)].map((c) => c.path);
    if (files.length === 0 || !inScope(landing, files, input.scope)) continue;
    const problems = problemsOf(commit.sha);
    if (problems.length > 0) reported.add(commit.sha);
    const records = (index.records.get(commit.sha) ?? []).filter((r) => r.kind === 'apply');
    const at = commit.committedAt;

    if (records.length === 0) {
      if (problems.length > 0) {
        findings.push({ rule: 'verify/record-invalid', commit: commit.sha, at, files, message: `${describeLanding(landing)} has no trustworthy decision record: ${problems.map((p) => p.message).join('; ')}` });
      } else {
        findings.push({ rule: 'verify/no-record', commit: commit.sha, at, files, message: `${describeLanding(landing)} has no decision record` });
      }
      continue;
    }
    const verdicts = records.map((record) => judgeRecord(landing, record, input));
    if (!verdicts.some((reasons) => reasons.length === 0)) {
      findings.push({ rule: 'verify/not-approved', commit: commit.sha, at, files, message: `${describeLanding(landing)}: the recorded decision does not satisfy the rules as they stood: ${verdicts.at(-1)!.join('; ')}` });
    }
    if (problems.length > 0) {
      findings.push({ rule: 'verify/record-invalid', commit: commit.sha, at, files, message: problems.map((p) => p.message).join('; ') });
    }
  }

  if (input.now) {
    const rulesAt = (sha: string) => input.rules.get(rulesSourceOf(index, sha));
    findings.push(...verifyBreakGlass({ index, contents: input.contents, rulesAt, now: input.now }).filter((f) => inScopeAt(f, index, input.scope)));
  }

  // A tampered note anywhere else (an expire run's, a note on a commit that changed nothing) is a finding too.
  for (const problem of index.problems) {
    if (reported.has(problem.commit)) continue;
    const at = index.commits.get(problem.commit)?.committedAt;
    findings.push({ rule: 'verify/record-invalid', commit: problem.commit, ...(at === undefined ? {} : { at }), files: [], message: problem.message });
  }
  return findings;
}

function inScopeAt(finding: AuditFinding, index: AuditIndex, scope: VerifyScope | undefined): boolean {
  const landing = index.landings.find((l) => l.commit.sha === finding.commit);
  return landing !== undefined && inScope(landing, finding.files, scope);
}

/** Why the record does not carry the landing; empty when it does. */
function judgeRecord(landing: Landing, record: DecisionRecord, input: VerifyInput): string[] {
  const { index, contents } = input;
  const pr = record.pullRequest;
  if (!pr) return ['the record names no pull request: the change was applied without review'];
  const reasons: string[] = [];
  const merged = landing.parents[1];
  if (merged !== undefined && merged !== pr.headSha) {
    reasons.push(`the merge brought head ${merged.slice(0, 7)}, but the approvals were given on ${pr.headSha.slice(0, 7)}`);
  }
  const rulesAt = index.chainIndex.get(record.rulesSha);
  if (rulesAt === undefined || rulesAt >= landing.index) {
    reasons.push(`it was judged by the rules of ${record.rulesSha.slice(0, 7)}, which is not a commit of the default branch before this one`);
  }
  const rules = input.rules.get(rulesSourceOf(index, record.rulesSha));
  if (!rules) {
    reasons.push(`the rules of ${record.rulesSha.slice(0, 7)} are not in this clone, so the decision cannot be judged again`);
    return reasons;
  }

  const changes: ChangedFile[] = [];
  for (const change of landing.grantChanges) {
    const file: ChangedFile = { path: change.path };
    const base = change.before === null ? undefined : contents.get(change.before);
    const head = change.after === null ? undefined : contents.get(change.after);
    if (base) file.base = base;
    if (head) file.head = head;
    changes.push(file);
  }
  for (const change of landing.ruleChanges) {
    const head = change.after === null ? undefined : contents.get(change.after);
    changes.push(head ? { path: change.path, head } : { path: change.path });
  }
  const result = evaluateApproval({
    rulesAtBase: rules,
    changes,
    pr: { author: pr.author, headSha: pr.headSha, baseSha: record.rulesSha, changedFiles: changes.map((c) => c.path), reviews: pr.reviews.map((r) => ({ ...r })) },
    now: new Date(landing.commit.committedAt),
  });
  if (!result.approved) reasons.push(explainRejection(result));
  const listed = new Set(record.grants.map((g) => g.file));
  const unlisted = landing.grantChanges.filter((c) => !listed.has(c.path)).map((c) => c.path);
  if (unlisted.length > 0) reasons.push(`the record does not list ${unlisted.join(', ')}`);
  return reasons;
}

function explainRejection(result: ApprovalResult): string {
  const parts: string[] = [];
  for (const grant of result.grants) {
    if (grant.status === 'approved') continue;
    const missing = grant.roles.filter((r) => r.status === 'missing').map((r) => r.role);
    parts.push(`${grant.file}: ${missing.length > 0 ? `no approval as ${missing.join(', ')}` : grant.why}`);
  }
  if (result.rulesChange?.status === 'missing') parts.push(`the rules change needs an org owner's approval`);
  for (const error of result.errors.slice(0, 3)) parts.push(`${error.file}:${error.line}: ${error.message}`);
  return parts.length > 0 ? parts.join('; ') : result.why;
}

function describeLanding(landing: Landing): string {
  const { commit } = landing;
  const pr = findPullRequestNumber(commit.subject);
  const how = landing.parents.length > 1 || pr !== undefined ? `merged${pr === undefined ? '' : ` from pull request #${pr}`}` : 'pushed directly';
  // The finding names its commit beside the message (the `commit` field): the message does not repeat it.
  return `the change ${how} by ${commit.author.name} <${commit.author.email}> at ${commit.committedAt}`;
}
