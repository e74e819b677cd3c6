import { diagnostic, sortDiagnostics, START, type Diagnostic } from '../diagnostic.js';
import type { GrantFile, Sourced } from '../model.js';
import { classifyPath, unexpectedFile } from '../parse-access-repo.js';
import type { RepoFile, RepoSnapshot } from '../repo-file.js';
import { validateSchema } from '../schemas/index.js';
import { locate, parseYamlFile } from '../yaml-source.js';
import type { ApprovalInput, ChangedFile, EscalateSensitivity } from './approval-input.js';
import type { ApprovalResult, ApprovalStatus, CountedApproval, GrantEvaluation, RoleEvaluation } from './approval-result.js';
import { judgeBreakGlass } from './break-glass.js';
import { asksForAccess, classifyGrantChange, needsApproval } from './classify-grant-change.js';
import { countHeadApprovals } from './count-head-approvals.js';
import { resolveEffectiveSensitivity } from './effective-sensitivity.js';
import { checkOnBehalf } from './on-behalf.js';
import type { TeamMembers } from './approver-pool.js';
import { resolveApproverRoles } from './resolve-approver-roles.js';
import { evaluateRulesChange, findRulesChanges } from './rules-change.js';
import { readRulesFromBase, type RulesFromBase } from './rules-from-base.js';
import { countMissingApprovals } from './missing-approvals.js';

export type { ApprovalInput, ChangedFile, EscalateSensitivity, FileContent, SensitivityEscalation } from './approval-input.js';
export type * from './approval-result.js';
export { countMissingApprovals, findApproversToRequest } from './missing-approvals.js';

/**
 * Whether a pull request's changed paths give grantops anything to judge: the access directory, the
 * schemas, or a path that steers what grantops applies (the base's protectedPaths). For the doors' early
 * "nothing to approve"; the evaluator itself reaches the same answer in `touchesAccess`.
 */
export function touchesAccess(rulesAtBase: RepoSnapshot, changedPaths: readonly string[]): boolean {
  const dir = rulesAtBase.dir;
  if (changedPaths.some((p) => p.startsWith(`${dir}/`) || p.startsWith('schemas/'))) return true;
  return findRulesChanges(dir, changedPaths, readRulesFromBase(rulesAtBase, [], new Date(0)).repo.org?.value).length > 0;
}

/**
 * DESIGN §3: judges a pull request against the rules of its base. Pure and total: it never throws; a
 * rule that fails counts as an error (fail closed). Each rule lives in its own file of this folder; this
 * function only puts their answers together into one result tree.
 */
export function evaluateApproval(input: ApprovalInput): ApprovalResult {
  try {
    return evaluate(input);
  } catch (error) {
    const e = diagnostic(input.rulesAtBase.dir, START, 'approval/internal', `the approval rules could not be evaluated: ${messageOf(error)}`);
    return { status: 'invalid', approved: false, touchesAccess: true, grants: [], errors: [e], warnings: [], approvals: [], ignoredReviews: [], why: e.message };
  }
}

function evaluate(input: ApprovalInput): ApprovalResult {
  const { rulesAtBase, pr, now } = input;
  const dir = rulesAtBase.dir;
  const changes = new Map(input.changes.map((c) => [c.path, c]));
  const changedPaths = [...new Set([...pr.changedFiles, ...changes.keys()])].sort();
  const inDir = (p: string) => p.startsWith(`${dir}/`);
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];

  const grantPaths = changedPaths.filter((p) => inDir(p) && classifyPath(dir, p).kind === 'grant');
  for (const path of grantPaths) {
    const change = changes.get(path);
    if (!change) errors.push(diagnostic(path, START, 'approval/missing-content', 'the contents of this changed grant file were not provided, so it cannot be judged'));
    else if (change.base === undefined && change.head === undefined && change.headUnreadable === undefined) errors.push(diagnostic(path, START, 'approval/missing-content', 'neither the base nor the head content of this changed grant file was provided'));
  }
  // Anything else under the access directory that the head still holds (any name, a symlink, a folder
  // named like a file) is an error, never let through: the merged tree must validate (DESIGN §8).
  for (const path of changedPaths.filter((p) => inDir(p) && classifyPath(dir, p).kind === 'other')) {
    const change = changes.get(path);
    if (!change) errors.push(diagnostic(path, START, 'approval/missing-content', 'this changed path under the access directory was not provided, so it cannot be judged'));
    else if (change.head !== undefined || change.headUnreadable !== undefined) errors.push(unexpectedFile(path));
  }
  const headFiles: RepoFile[] = grantPaths.flatMap((path) => {
    const head = changes.get(path)?.head;
    return head === undefined ? [] : [{ path, content: head }];
  });

  const rules = readRulesFromBase(rulesAtBase, headFiles, now);
  if (rules.fatal) errors.push(rules.fatal, ...rules.baseProblems.filter((d) => d.severity === 'error'));

  const { approvals, ignored } = countHeadApprovals(pr);
  const rulesChange = evaluateRulesChange({ rulesAtBase, grantsAtBase: input.grantsAtBase, baseRepo: rules.repo, changedPaths, changes, author: pr.author, approvals, now, ...(input.teams && { teams: input.teams }) });
  errors.push(...rulesChange.errors);
  warnings.push(...rulesChange.warnings);
  const touchesAccess = rulesChange.evaluation !== undefined || changedPaths.some((p) => inDir(p) || p.startsWith('schemas/'));

  const grants = rules.fatal
    ? []
    : grantPaths.flatMap((path) => {
        const change = changes.get(path);
        if (!change || (change.base === undefined && change.head === undefined && change.headUnreadable === undefined)) return [];
        return [evaluateGrantSafely(path, change, { rules, author: pr.author, authorClaimed: pr.authorProof === 'claimed', approvals, now, escalate: input.escalate, teams: input.teams, ratifying: input.ratifying === true })];
      });
  for (const grant of grants) {
    errors.push(...grant.errors);
    warnings.push(...(rules.headProblems.get(grant.file) ?? []).filter((d) => d.severity === 'warning'));
  }

  const uniqueErrors = sortDiagnostics(dedupe(errors));
  const status: ApprovalStatus =
    uniqueErrors.length > 0
      ? 'invalid'
      : grants.some((g) => g.status !== 'approved') || rulesChange.evaluation?.status === 'missing'
        ? 'pending'
        : 'approved';
  const result: ApprovalResult = {
    status,
    approved: status === 'approved',
    touchesAccess,
    grants,
    errors: uniqueErrors,
    warnings: sortDiagnostics(dedupe(warnings)),
    approvals: [...approvals.values()],
    ignoredReviews: ignored,
    why: '',
  };
  if (rulesChange.evaluation) result.rulesChange = rulesChange.evaluation;
  result.why = explainResult(result);
  return result;
}

interface GrantContext {
  rules: RulesFromBase;
  author: string;
  /** The author is only claimed (a configured identity), not proven: see PullRequestSnapshot.authorProof. */
  authorClaimed: boolean;
  approvals: ReadonlyMap<string, CountedApproval>;
  now: Date;
  escalate?: EscalateSensitivity;
  teams?: TeamMembers | undefined;
  ratifying: boolean;
}

function evaluateGrantSafely(path: string, change: ChangedFile, ctx: GrantContext): GrantEvaluation {
  try {
    return evaluateGrant(path, change, ctx);
  } catch (error) {
    const layout = classifyPath(ctx.rules.repo.dir, path);
    const e = diagnostic(path, START, 'approval/internal', `this grant could not be evaluated: ${messageOf(error)}`);
    return {
      file: path,
      line: 0,
      user: layout.kind === 'grant' ? layout.login : '',
      resource: layout.kind === 'grant' ? layout.resource : '',
      change: 'change',
      status: 'invalid',
      required: [],
      roles: [],
      errors: [e],
      why: e.message,
    };
  }
}

function evaluateGrant(path: string, change: ChangedFile, ctx: GrantContext): GrantEvaluation {
  const { rules, author, approvals, now } = ctx;
  const repo = rules.repo;
  const org = repo.org!.value;
  const layout = classifyPath(repo.dir, path);
  const headSourced = change.head === undefined ? undefined : repo.grants.get(path);
  const head = headSourced?.value;
  const baseRead = change.base === undefined ? undefined : readBaseGrant(path, change.base);
  const base = baseRead?.grant;
  const errors = (rules.headProblems.get(path) ?? []).filter((d) => d.severity === 'error');
  const user = head?.user ?? base?.user ?? (layout.kind === 'grant' ? layout.login : '');
  const resourceId = head?.resource ?? base?.resource ?? (layout.kind === 'grant' ? layout.resource : '');
  const line = headSourced ? locate(headSourced.source, ['user']).line : 0;
  const evaluation = (fields: Omit<GrantEvaluation, 'file' | 'line' | 'user' | 'resource' | 'errors'>): GrantEvaluation => ({
    file: path,
    line,
    user,
    resource: resourceId,
    ...fields,
    errors,
  });

  if (change.headUnreadable !== undefined) {
    errors.push(diagnostic(path, START, 'file/unreadable', change.headUnreadable));
    return evaluation({ change: base ? 'change' : 'new', status: 'invalid', required: [], roles: [], why: `${path} cannot be read at the head: ${change.headUnreadable}` });
  }
  if (change.head !== undefined && !head) {
    if (errors.length === 0) errors.push(diagnostic(path, START, 'approval/unreadable-grant', 'the head version of this grant file cannot be read'));
    return evaluation({ change: base ? 'change' : 'new', status: 'invalid', required: [], roles: [], why: `the head version of ${path} is invalid: ${errors[0]!.message}` });
  }

  const kind = classifyGrantChange(base, head, now, baseRead !== undefined && base === undefined);
  const resource = repo.resources.get(resourceId)?.value;
  const subject = head ?? base;
  const sensitivity = resource && subject ? resolveEffectiveSensitivity(org, resource, subject, ctx.escalate) : undefined;
  const sensitivityPart = sensitivity ? `${sensitivity.why}` : '';

  if (!needsApproval(kind.kind)) {
    if (asksForAccess(kind.kind)) checkRequester(path, headSourced, user, ctx, errors);
    const why = [kind.why, sensitivityPart].filter(Boolean).join('; ');
    return evaluation({ change: kind.kind, status: errors.length > 0 ? 'invalid' : 'approved', ...(sensitivity && { sensitivity }), required: [], roles: [], why });
  }

  const onBehalf = checkRequester(path, headSourced, user, ctx, errors);
  if (!resource || !sensitivity) {
    if (errors.length === 0) {
      errors.push(diagnostic(path, headSourced ? locate(headSourced.source, ['resource']) : START, 'approval/no-sensitivity', `the sensitivity of "${resourceId}" cannot be resolved at the base, so nobody can approve this grant`));
    }
    return evaluation({ change: kind.kind, status: 'invalid', required: [], roles: [], why: `${kind.why}; ${errors[0]!.message}` });
  }
  const required = [...(org.sensitivity[sensitivity.level]?.approvers ?? [])];
  const roles: RoleEvaluation[] = resolveApproverRoles(required, { repo, resource, grantee: user, author, approvals, ...(ctx.teams && { teams: ctx.teams }) });
  if (head?.breakGlass === true && !ctx.ratifying) {
    const verdict = judgeBreakGlass({ repo, resource, level: sensitivity.level, base, head, kind: kind.kind, author, now });
    if (ctx.authorClaimed) {
      // A configured login is a claim, not a proof: it never opens break-glass (decision 0019).
      errors.push(diagnostic(path, headSourced ? locate(headSourced.source, ['breakGlass']) : START, 'break-glass/unproven-requester', `break-glass needs a proven requester (--author, or the pull request's author); "${author}" is only configured in git`));
    }
    if ('refusals' in verdict) {
      for (const r of verdict.refusals) errors.push(diagnostic(path, headSourced ? locate(headSourced.source, [r.field]) : START, r.rule, r.message));
    }
    const passed = 'pass' in verdict && errors.length === 0;
    return evaluation({
      change: kind.kind,
      status: passed ? 'approved' : 'invalid',
      sensitivity,
      required,
      roles,
      ...('pass' in verdict && { breakGlass: verdict.pass }),
      why: `${kind.why}; ${onBehalf}; ${sensitivity.why}; ${passed && 'pass' in verdict ? verdict.pass.why : `break-glass refused: ${errors[0]!.message}`}`,
    });
  }
  // A role no one can be shown to fill (a team with no members, or unknown ones) is the rules' fault, located at the resource.
  const resourceAt = repo.resources.get(resourceId);
  for (const problem of roles.flatMap((r) => r.problems ?? [])) {
    errors.push(resourceAt ? diagnostic(resourceAt.file, locate(resourceAt.source, ['owners']), 'approval/unfillable-role', `${problem} (needed by ${path})`) : diagnostic(path, START, 'approval/unfillable-role', problem));
  }
  const missing = roles.filter((r) => r.status === 'missing');
  const status: ApprovalStatus = errors.length > 0 ? 'invalid' : missing.length > 0 ? 'pending' : 'approved';
  const need = required.length === 0 ? `${sensitivity.level} needs no approval` : `${sensitivity.level} needs ${required.join(' + ')}`;
  const outcome =
    status === 'invalid' ? `invalid: ${errors[0]!.message}` : missing.length > 0 ? `missing ${missing.map((r) => r.role).join(' + ')}` : 'approved';
  return evaluation({
    change: kind.kind,
    status,
    sensitivity,
    required,
    roles,
    why: `${kind.why}; ${onBehalf}; ${sensitivity.why}; ${need}: ${outcome}`,
  });
}

/** Rule 5, applied where someone receives access; a violation joins the file's errors. */
function checkRequester(path: string, headSourced: Sourced<GrantFile> | undefined, user: string, ctx: GrantContext, errors: Diagnostic[]): string {
  const verdict = checkOnBehalf(ctx.rules.repo, ctx.author, user, ctx.authorClaimed);
  if (!verdict.allowed) {
    errors.push(diagnostic(path, headSourced ? locate(headSourced.source, ['user']) : START, 'approval/on-behalf', verdict.why));
  }
  return verdict.why;
}

/** The base version only decides the change's kind; if it cannot be read, the change is judged in full. */
function readBaseGrant(path: string, content: ChangedFile['base'] & {}): { grant?: GrantFile } {
  const parsed = parseYamlFile(path, content);
  if (parsed.value === undefined) return {};
  if (validateSchema('grant', parsed.value, path, parsed.source).length > 0) return {};
  return { grant: parsed.value as GrantFile };
}

function explainResult(result: ApprovalResult): string {
  if (!result.touchesAccess) return 'the pull request touches nothing under the access directory';
  if (result.status === 'invalid') {
    const first = result.errors[0]!;
    return `${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; first: ${first.file}:${first.line}:${first.column} ${first.message}`;
  }
  const missing = countMissingApprovals(result);
  const judged = result.grants.length;
  if (result.status === 'pending') {
    return `${missing} approval${missing === 1 ? '' : 's'} missing across ${judged} changed grant${judged === 1 ? '' : 's'}${result.rulesChange ? ' and the rules change' : ''}`;
  }
  return `approved: every role of ${judged} changed grant${judged === 1 ? '' : 's'}${result.rulesChange ? ' and the rules change' : ''} is met`;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.rule}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
