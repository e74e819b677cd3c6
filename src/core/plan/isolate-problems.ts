import type { Diagnostic } from '../diagnostic.js';
import type { AccessRepo } from '../model.js';
import { classifyPath } from '../parse-access-repo.js';
import type { AccessPlan } from './access-plan.js';
import { isRemoval, type IamOperation } from './iam-operation.js';

/** A grant held back by a problem: it is reported, the run fails at the end, and nothing else waits for it. */
export interface WithheldGrant {
  /** The grant file (repository-relative). */
  file: string;
  /** The errors that hold it back: its own, its resource's, or the rules'. */
  problems: Diagnostic[];
  /** What the plan would have done for it and did not. */
  operations: IamOperation[];
}

/**
 * The access directory's errors, sorted by what they hold back (DESIGN §8, isolated failures):
 * - an error in a grant file withholds that grant: it is left out of the plan, and the access its person
 *   holds through it is kept as it is (neither added nor removed) until the file is fixed, unless the
 *   person has left people.yaml, in which case their access goes like any former grant's;
 * - an error in a resource file withholds the additions of that resource;
 * - an error in grantops.yaml or people.yaml withholds every addition (the rules approvals were judged by
 *   are broken); when either cannot be read at all, nothing is applied (nobody's access can be told apart).
 * Removals are never withheld for a problem elsewhere.
 */
export interface Isolation {
  /** The repository the plan is made from: grant files with errors left out. */
  repo: AccessRepo;
  /** Errors per grant file that withhold it. */
  grants: Map<string, Diagnostic[]>;
  /** Errors per resource id that withhold its additions. */
  resources: Map<string, Diagnostic[]>;
  /** Errors of grantops.yaml and people.yaml, which withhold every addition. */
  rules: Diagnostic[];
  /** True when the rules cannot be read: the whole run is withheld. */
  unreadable: boolean;
  /** `resource\0iamUser` holdings a withheld grant keeps. */
  kept: Set<string>;
}

const holding = (resource: string, iamUser: string) => `${resource}\u0000${iamUser}`;

export function isolateProblems(repo: AccessRepo, diagnostics: readonly Diagnostic[]): Isolation {
  const isolation: Isolation = { repo, grants: new Map(), resources: new Map(), rules: [], unreadable: false, kept: new Set() };
  const add = <K>(map: Map<K, Diagnostic[]>, key: K, d: Diagnostic) => map.set(key, [...(map.get(key) ?? []), d]);
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const layout = classifyPath(repo.dir, d.file);
    if (layout.kind === 'grant') add(isolation.grants, d.file, d);
    else if (layout.kind === 'resource') add(isolation.resources, layout.id, d);
    else if (layout.kind === 'org' || layout.kind === 'people') isolation.rules.push(d);
  }
  isolation.unreadable = isolation.rules.length > 0 && (!repo.org || !repo.peopleFile);
  if (isolation.grants.size === 0) return isolation;

  const grants = new Map(repo.grants);
  for (const file of isolation.grants.keys()) {
    grants.delete(file);
    const layout = classifyPath(repo.dir, file);
    const iamUser = layout.kind === 'grant' ? repo.people.get(layout.login)?.value.aws?.user : undefined;
    if (layout.kind === 'grant' && iamUser) isolation.kept.add(holding(layout.resource, iamUser));
  }
  isolation.repo = { ...repo, grants };
  return isolation;
}

/**
 * Splits a plan into what runs and what is withheld. The plan's own errors on a grant (quota pre-flight,
 * a missing IAM user, group or policy) withhold that grant too.
 */
export function withholdOperations(plan: AccessPlan, isolation: Isolation): { plan: AccessPlan; withheld: WithheldGrant[] } {
  const problemsOf = new Map(isolation.grants);
  for (const d of plan.problems) {
    if (d.severity === 'error' && classifyPath(isolation.repo.dir, d.file).kind === 'grant') problemsOf.set(d.file, [...(problemsOf.get(d.file) ?? []), d]);
  }
  const withheld = new Map<string, WithheldGrant>();
  const withhold = (file: string, problems: Diagnostic[], op?: IamOperation) => {
    const entry = withheld.get(file) ?? { file, problems: [...problems], operations: [] };
    if (op) entry.operations.push(op);
    withheld.set(file, entry);
  };
  for (const [file, problems] of problemsOf) withhold(file, problems);

  const operations: IamOperation[] = [];
  for (const op of plan.operations) {
    if (isRemoval(op)) {
      // The holding of a grant whose file is broken stays as it is until the file is fixed.
      if (!isolation.unreadable && !isolation.kept.has(holding(op.resource, op.principal))) operations.push(op);
      continue;
    }
    const reasons = [...(op.grant ? (problemsOf.get(op.grant) ?? []) : []), ...(isolation.resources.get(op.resource) ?? []), ...isolation.rules];
    if (reasons.length === 0) operations.push(op);
    else if (op.grant) withhold(op.grant, reasons, op);
  }
  return { plan: { ...plan, operations }, withheld: [...withheld.values()].sort((a, b) => a.file.localeCompare(b.file)) };
}
