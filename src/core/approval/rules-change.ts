import { diagnostic, START, type Diagnostic } from '../diagnostic.js';
import { loadAccessRepo } from '../load-access-repo.js';
import type { AccessRepo } from '../model.js';
import { isRulesFile } from '../parse-access-repo.js';
import type { RepoFile, RepoSnapshot } from '../repo-file.js';
import type { ChangedFile } from './approval-input.js';
import { ORG_OWNER_ROLE, type CountedApproval, type RulesChangeEvaluation } from './approval-result.js';
import { sameLogin } from './login-key.js';
import { expandApprovers, type TeamMembers } from './approver-pool.js';
import { withFallback } from './resolve-approver-roles.js';
import { locate } from '../yaml-source.js';
import { selectRuleFiles } from './rules-from-base.js';

export interface RulesChangeResult {
  evaluation?: RulesChangeEvaluation;
  /** New problems the head's rule files would bring (those already at the base are not the change's doing). */
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** The changed paths that alter the rules: grantops.yaml, people.yaml, resources/**, schemas/**. */
export function findRulesChanges(dir: string, changedPaths: readonly string[]): string[] {
  return changedPaths.filter((p) => isRulesFile(dir, p));
}

/**
 * DESIGN §3 rule 2: a pull request changing the rules needs an org owner's approval (of the base's
 * owners, never the head's), on top of whatever its grants need. The head's rule files are validated so
 * a broken rule cannot be merged; they are never used to judge anything.
 */
export function evaluateRulesChange(args: {
  rulesAtBase: RepoSnapshot;
  baseRepo: AccessRepo;
  /** The base's own problems (from readRulesFromBase), so the base is not loaded twice. */
  baseProblems: readonly Diagnostic[];
  changedPaths: readonly string[];
  changes: ReadonlyMap<string, ChangedFile>;
  author: string;
  approvals: ReadonlyMap<string, CountedApproval>;
  now: Date;
  teams?: TeamMembers;
}): RulesChangeResult {
  const { rulesAtBase, baseRepo, baseProblems, changedPaths, changes, author, approvals, now } = args;
  const dir = rulesAtBase.dir;
  const files = findRulesChanges(dir, changedPaths);
  if (files.length === 0) return { errors: [], warnings: [] };

  const owners = baseRepo.org?.value.owners ?? [];
  const pool = expandApprovers(owners, args.teams, [author]);
  const authorNote = owners.some((o) => sameLogin(o, author)) ? ` (${author} is the author, so another owner must approve)` : '';
  const why = `the pull request changes the rules (${files.join(', ')}): an org owner (${owners.length > 0 ? pool.describe : 'none defined'}) must approve${authorNote}`;
  const role = withFallback(ORG_OWNER_ROLE, { candidates: pool.candidates, why, problems: pool.problems, hasTeam: pool.hasTeam }, { repo: baseRepo, approvals, ...(args.teams && { teams: args.teams }) }, [author]);
  const evaluation: RulesChangeEvaluation = { ...role, files };

  const { errors, warnings } = validateHeadRules(rulesAtBase, baseProblems, files, changes, now);
  const org = baseRepo.org;
  for (const problem of role.problems ?? []) {
    errors.push(org ? diagnostic(org.file, locate(org.source, ['owners']), 'approval/unfillable-role', problem) : diagnostic(`${dir}/grantops.yaml`, START, 'approval/unfillable-role', problem));
  }
  return { evaluation, errors, warnings };
}

function validateHeadRules(
  rulesAtBase: RepoSnapshot,
  baseProblems: readonly Diagnostic[],
  files: readonly string[],
  changes: ReadonlyMap<string, ChangedFile>,
  now: Date,
): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const base = selectRuleFiles(rulesAtBase);
  const head = new Map<string, RepoFile>(base.files.map((f) => [f.path, f]));
  const errors: Diagnostic[] = [];
  for (const path of files) {
    if (!path.startsWith(`${base.dir}/`)) continue; // schemas/ is generated from the code; nothing to parse here
    const change = changes.get(path);
    if (!change) {
      errors.push(diagnostic(path, START, 'approval/missing-content', 'the head content of this changed rule file was not provided, so it cannot be checked'));
      continue;
    }
    if (change.headUnreadable !== undefined) {
      errors.push(diagnostic(path, START, 'file/unreadable', change.headUnreadable));
      continue;
    }
    if (change.head === undefined) head.delete(path);
    else head.set(path, { path, content: change.head });
  }
  const headSnapshot = selectRuleFiles({ ...base, files: [...head.values()] });
  const key = (d: Diagnostic) => `${d.file}\u0000${d.rule}\u0000${d.message}`;
  const atBase = new Set(baseProblems.map(key));
  const fresh = loadAccessRepo(headSnapshot, now).diagnostics.filter((d) => !atBase.has(key(d)));
  return {
    errors: [...errors, ...fresh.filter((d) => d.severity === 'error')],
    warnings: fresh.filter((d) => d.severity === 'warning'),
  };
}
