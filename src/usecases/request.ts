import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { evaluateApproval } from '../core/approval/evaluate-approval.js';
import type { ApprovalResult } from '../core/approval/approval-result.js';
import { isRulesFile } from '../core/parse-access-repo.js';
import { diagnostic, hasErrors, START, type Diagnostic } from '../core/diagnostic.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import { planGrantRequest, type GrantRequestPlan } from '../core/request/plan-grant-request.js';
import { buildRequestPullRequest, type PreviousUse, type RequestPullRequest } from '../core/request/request-pull-request.js';
import { resolveRequester, type IdentityHints } from '../core/request/resolve-requester.js';
import { unusedMark } from '../core/usage/assess-grant-use.js';
import type { AccessRepo, GrantFile } from '../core/model.js';
import type { BranchCommit, BranchWriter, LifecycleGitHub } from '../ports.js';
import { readGrantUsage, type GrantUsageSource } from './read-grant-usage.js';

export interface RequestAccessOptions {
  root: string;
  dir: string;
  /** The access directory as committed at HEAD; read from `root`/`dir` when absent. */
  snapshot?: RepoSnapshot;
  now: Date;
  resource: string;
  until?: Date;
  forDuration?: string;
  reason?: string;
  /** `--for`: ask on someone's behalf (allowed to their managers and to org owners). */
  forLogin?: string;
  approvalTtl?: string;
  /** `--break-glass`: ask as break-glass (passes at once for an eligible requester; ratified after the merge). */
  breakGlass?: boolean;
  /** Who is asking, from `--as` and git config. */
  identity: IdentityHints;
  git?: BranchWriter;
  remote?: string;
  baseBranch?: string;
  /** Pushes the branch and opens (or updates) the pull request. */
  github?: LifecycleGitHub;
  /**
   * Where the grant's use is read from, for a request that renews or extends an existing grant: the pull
   * request then marks it when unused (the `grant/unused` rule). Absent: nothing is said about use.
   */
  usage?: GrantUsageSource;
}

export interface RequestAccessReport {
  requester?: string;
  requesterWhy: string;
  plan?: GrantRequestPlan;
  approval?: ApprovalResult;
  pullRequestText?: RequestPullRequest;
  diagnostics: Diagnostic[];
  commit?: BranchCommit & { branch: string; base: string };
  pushed: boolean;
  pullRequest?: { number: number; url: string; action: 'opened' | 'updated' | 'unchanged' };
  notes: string[];
  ok: boolean;
}

const textOf = (content: Uint8Array | string) => (typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));

/**
 * `grantops request`: writes the grant file for the caller (or edits it, for a renewal), validates the
 * whole access directory with it, asks the approval evaluator who must approve and why, and commits it
 * on `grant/<login>/<resource>-<date>`; with a GitHub connection, pushes it and opens the pull request.
 */
export async function requestAccess(options: RequestAccessOptions): Promise<RequestAccessReport> {
  const { now } = options;
  const snapshot = options.snapshot ?? (await readAccessDir(options.root, options.dir));
  const { repo } = loadAccessRepo(snapshot, now);
  const report: RequestAccessReport = { requesterWhy: '', diagnostics: [], pushed: false, notes: [], ok: false };
  const fail = (rule: string, message: string) => {
    report.diagnostics.push(diagnostic(`${snapshot.dir}/grants`, START, rule, message));
    return report;
  };

  const who = resolveRequester(repo.people, options.identity);
  report.requesterWhy = who.why;
  if (who.login === undefined) return fail('request/who', who.why);
  const requester = who.login;
  report.requester = requester;
  const grantee = options.forLogin ?? requester;

  const path = `${snapshot.dir}/grants/${grantee}/${options.resource}.yaml`;
  const file = snapshot.files.find((f) => f.path === path);
  const existing = file ? { text: textOf(file.content), grant: repo.grants.get(path)?.value } : undefined;
  const plan = planGrantRequest(repo, existing, {
    resource: options.resource,
    grantee,
    requester,
    until: options.until,
    forDuration: options.forDuration,
    reason: options.reason,
    approvalTtl: options.approvalTtl,
    ...(options.breakGlass ? { breakGlass: true } : {}),
    now,
  });
  report.plan = plan;
  report.diagnostics.push(...plan.problems);
  if (hasErrors(plan.problems)) return report;

  // The grant must validate with everything else as it is; problems elsewhere are not the requester's.
  const files = [...snapshot.files.filter((f) => f.path !== path), { path, content: plan.text }];
  const seen = new Set(plan.problems.map((p) => `${p.rule}\u0000${p.line}`));
  const own = loadAccessRepo({ ...snapshot, files }, now).diagnostics.filter((d) => d.file === path && d.severity === 'error' && !seen.has(`${d.rule}\u0000${d.line}`));
  report.diagnostics.push(...own);
  if (hasErrors(own)) return report;

  const base = options.git ? await options.git.headCommit() : 'HEAD';
  const approval = evaluateApproval({
    rulesAtBase: { ...snapshot, files: snapshot.files.filter((f) => isRulesFile(snapshot.dir, f.path)) },
    changes: [{ path, ...(existing ? { base: existing.text } : {}), head: plan.text }],
    pr: { author: requester, headSha: 'not-yet-committed', baseSha: base, changedFiles: [path], reviews: [] },
    now,
  });
  report.approval = approval;
  const unused = existing?.grant && options.usage ? await readPreviousUse(repo, path, existing.grant, options.usage, now, report) : undefined;
  const text = buildRequestPullRequest(plan, requester, approval, unused);
  report.pullRequestText = text;
  if (approval.status === 'invalid') {
    report.diagnostics.push(...approval.errors);
    return report;
  }

  if (!options.git) {
    report.notes.push('not a git repository: nothing was committed');
    return report;
  }
  const remote = options.remote ?? 'origin';
  // An earlier request of the same day holds the branch: it is never rebuilt (its commit would be lost);
  // this one goes on the next free name, and the output says so.
  let branch = plan.branch;
  let remoteTip: string | undefined;
  let commit: BranchCommit | undefined;
  for (let n = 2; ; n++) {
    remoteTip = options.github ? await options.git.fetchBranch(remote, branch) : undefined;
    commit = await options.git.commitOnBranch({ branch, base, changes: [{ path, content: plan.text }], message: text.commitMessage, reuse: remoteTip ? [remoteTip] : [], date: now, keepExisting: true });
    if (!commit?.taken) break;
    const next = `${plan.branch}-${n}`;
    report.notes.push(`branch ${branch} already holds another request (${commit.sha.slice(0, 12)}), left as it is: this one goes on ${next}`);
    branch = next;
  }
  if (!commit) {
    report.notes.push(`${path} already says exactly this: nothing to commit`);
    report.ok = true;
    return report;
  }
  report.plan = { ...plan, branch };
  report.commit = { ...commit, branch, base };
  if (!options.github) {
    report.ok = true;
    return report;
  }

  if (remoteTip !== commit.sha) {
    await options.git.pushBranch(remote, branch, commit.sha, remoteTip);
    report.pushed = true;
  }
  const baseBranch = options.baseBranch ?? (await options.git.currentBranch()) ?? 'main';
  const open = await options.github.findOpenPullRequest(branch, baseBranch);
  if (!open) {
    const created = await options.github.createPullRequest({ head: branch, base: baseBranch, title: text.title, body: text.body });
    report.pullRequest = { number: created.number, url: created.url, action: 'opened' };
  } else if (open.title !== text.title || open.body !== text.body || report.pushed) {
    await options.github.updatePullRequest(open.number, { title: text.title, body: text.body });
    report.pullRequest = { number: open.number, url: open.url, action: 'updated' };
  } else {
    report.pullRequest = { number: open.number, url: open.url, action: 'unchanged' };
  }
  report.ok = true;
  return report;
}

/**
 * The existing grant's use, judged up to now or, when its access is over, up to when it ended (the days
 * since are no sign of disuse). Usage only adds a remark: when it cannot be read, the report says so.
 */
async function readPreviousUse(repo: AccessRepo, path: string, previous: GrantFile, source: GrantUsageSource, now: Date, report: RequestAccessReport): Promise<PreviousUse | undefined> {
  const ended = Date.parse(previous.expires);
  const at = ended < now.getTime() ? new Date(ended) : now;
  try {
    const use = (await readGrantUsage(repo, [{ file: path, grant: previous, at }], source)).get(path);
    if (use?.verdict !== 'unused') return undefined;
    report.notes.push(`the pull request marks the grant: ${unusedMark(use)}`);
    return { use, ...(at !== now ? { endedAt: previous.expires } : {}) };
  } catch (error) {
    report.notes.push(`usage could not be read, so the pull request says nothing about use: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
