import { diagnostic, type Diagnostic } from '../diagnostic.js';
import { holdingName, type EntitlementKind, type HeldTargets, type Holdings } from '../entitlements/entitlement-kind.js';
import type { IamOperation } from './iam-operation.js';

/** Where to point a quota problem: the grant file and its position, looked up by the core planner. */
export type LocateGrant = (grantFile: string) => { line: number; column: number };

/**
 * Quota pre-flight: what each principal would hold of each kind once the operations ran, against the
 * account's limit for that kind. A plan that breaks a limit it does not already break fails here,
 * naming every grant that adds to the principal, instead of failing halfway through apply.
 */
export function checkQuotas<S>(
  operations: readonly IamOperation[],
  kinds: readonly EntitlementKind<S>[],
  holdingsOf: (kind: EntitlementKind<S>) => Holdings,
  snapshot: S,
  locateGrant: LocateGrant,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const byPrincipal = new Map<string, IamOperation[]>();
  for (const op of operations) byPrincipal.set(op.principal, [...(byPrincipal.get(op.principal) ?? []), op]);

  for (const [principal, ops] of byPrincipal) {
    for (const kind of kinds) {
      if (!kind.quota) continue;
      const before = holdingsOf(kind).get(principal);
      if (!before) continue;
      const after = new Map<string, { document?: IamOperation['document'] }>(before);
      for (const op of ops) {
        if (op.action === kind.addAction) after.set(holdingName({ name: op.target, account: op.account }), op.document ? { document: op.document } : {});
        if (op.action === kind.removeAction) after.delete(holdingName({ name: op.target, account: op.account }));
      }
      const used = kind.quota.measure(after);
      const limit = kind.quota.limit(snapshot);
      if (used <= limit || used <= kind.quota.measure(before as HeldTargets)) continue;
      for (const op of ops) {
        if (op.action !== kind.addAction || op.grant === null) continue;
        problems.push(diagnostic(op.grant, locateGrant(op.grant), kind.quota.rule, `${op.resource}: ${kind.quota.message(principal, used, limit)}`));
      }
    }
  }
  return problems;
}
