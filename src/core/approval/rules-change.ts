import { diagnostic, START, type Diagnostic } from '../diagnostic.js';
import type { AccessRepo, OrgConfig } from '../model.js';
import { isRulesFile } from '../parse-access-repo.js';
import { findProtectedChanges } from '../protected-paths.js';
import type { RepoSnapshot } from '../repo-file.js';
import type { ChangedFile } from './approval-input.js';
import { ORG_OWNER_ROLE, type CountedApproval, type RulesChangeEvaluation } from './approval-result.js';
import { sameLogin } from './login-key.js';
import { expandApprovers, type TeamMembers } from './approver-pool.js';
import { withFallback } from './resolve-approver-roles.js';
import { locate } from '../yaml-source.js';
import { needsGrantsAtBase, validateMergedTree } from './merged-tree.js';

export interface RulesChangeResult {
  evaluation?: RulesChangeEvaluation;
  /** New problems of the tree the pull request produces (those already at the base are not the change's doing). */
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/**
 * The changed paths that alter the rules: grantops.yaml, people.yaml, resources/**, schemas/**, and the
 * protected paths that steer what grantops applies (workflows, attributes files, the access directory's
 * own location; the base's `protectedPaths`).
 */
export function findRulesChanges(dir: string, changedPaths: readonly string[], org: OrgConfig | undefined): string[] {
  const steering = new Set(findProtectedChanges(org, dir, changedPaths));
  return changedPaths.filter((p) => isRulesFile(dir, p) || steering.has(p));
}

/**
 * DESIGN §3 rule 2: a pull request changing the rules needs an org owner's approval (of the base's
 * owners, never the head's), on top of whatever its grants need. The tree the merge produces is validated
 * so a broken rule (or a grant it breaks) cannot be merged; the head's rules never judge anything.
 */
export function evaluateRulesChange(args: {
  rulesAtBase: RepoSnapshot;
  baseRepo: AccessRepo;
  /** Every grant file at the base: the merged tree is validated whole when rule files change. */
  grantsAtBase: RepoSnapshot | undefined;
  changedPaths: readonly string[];
  changes: ReadonlyMap<string, ChangedFile>;
  author: string;
  approvals: ReadonlyMap<string, CountedApproval>;
  now: Date;
  teams?: TeamMembers;
}): RulesChangeResult {
  const { rulesAtBase, grantsAtBase, baseRepo, changedPaths, changes, author, approvals, now } = args;
  const dir = rulesAtBase.dir;
  const files = findRulesChanges(dir, changedPaths, baseRepo.org?.value);
  if (files.length === 0) return { errors: [], warnings: [] };

  const owners = baseRepo.org?.value.owners ?? [];
  const pool = expandApprovers(owners, args.teams, [author]);
  const authorNote = owners.some((o) => sameLogin(o, author)) ? ` (${author} is the author, so another owner must approve)` : '';
  const why = `the pull request changes the rules (${files.join(', ')}): an org owner (${owners.length > 0 ? pool.describe : 'none defined'}) must approve${authorNote}`;
  const role = withFallback(ORG_OWNER_ROLE, { candidates: pool.candidates, why, problems: pool.problems, hasTeam: pool.hasTeam }, { repo: baseRepo, approvals, ...(args.teams && { teams: args.teams }) }, [author]);
  const evaluation: RulesChangeEvaluation = { ...role, files };

  const org = baseRepo.org;
  const unfillable = (role.problems ?? []).map((problem) =>
    org ? diagnostic(org.file, locate(org.source, ['owners']), 'approval/unfillable-role', problem) : diagnostic(`${dir}/grantops.yaml`, START, 'approval/unfillable-role', problem),
  );
  if (!needsGrantsAtBase(dir, files)) return { evaluation, errors: unfillable, warnings: [] };
  const missing = files
    .filter((path) => path.startsWith(`${dir}/`) && !changes.has(path))
    .map((path) => diagnostic(path, START, 'approval/missing-content', 'the head content of this changed rule file was not provided, so it cannot be checked'));
  const { errors, warnings } = validateMergedTree({ rulesAtBase, grantsAtBase, baseRepo, changes, now });
  return { evaluation, errors: [...missing, ...errors, ...unfillable], warnings };
}
