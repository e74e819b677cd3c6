import { diagnostic, type Diagnostic } from '../diagnostic.js';
import type { PolicyDocument } from '../model.js';
import type { AccountQuotas } from './account-quotas.js';
import type { UserHoldings } from './account-holdings.js';
import type { IamOperation } from './iam-operation.js';
import { policySize } from './policy-size.js';

/** Where to point a quota problem: the grant file and its position, looked up by the core planner. */
export type LocateGrant = (grantFile: string) => { line: number; column: number };

/**
 * Quota pre-flight: what each user would hold once the operations ran, against the account's limits.
 * A plan that breaks a limit it does not already break fails here, naming every grant that adds to the
 * user, instead of failing halfway through apply.
 */
export function checkQuotas(
  operations: readonly IamOperation[],
  users: ReadonlyMap<string, UserHoldings>,
  quotas: AccountQuotas,
  locateGrant: LocateGrant,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const byUser = new Map<string, IamOperation[]>();
  for (const op of operations) byUser.set(op.principal, [...(byUser.get(op.principal) ?? []), op]);

  for (const [name, ops] of byUser) {
    const held = users.get(name);
    if (!held) continue;
    const policies = new Set(held.policies);
    const groups = new Set(held.groups);
    const inline = new Map<string, PolicyDocument>(held.inline);
    for (const op of ops) {
      if (op.action === 'attach-user-policy') policies.add(op.target);
      if (op.action === 'detach-user-policy') policies.delete(op.target);
      if (op.action === 'add-user-to-group') groups.add(op.target);
      if (op.action === 'remove-user-from-group') groups.delete(op.target);
      if (op.action === 'put-user-policy' && op.document) inline.set(op.target, op.document);
      if (op.action === 'delete-user-policy') inline.delete(op.target);
    }
    const inlineSize = (docs: Iterable<PolicyDocument>) => [...docs].reduce((sum, doc) => sum + policySize(doc), 0);
    const report = (actions: IamOperation['action'][], message: string, rule: string) => {
      for (const op of ops) {
        if (!actions.includes(op.action) || op.grant === null) continue;
        const at = locateGrant(op.grant);
        problems.push(diagnostic(op.grant, at, rule, `${op.resource}: ${message}`));
      }
    };

    if (policies.size > quotas.attachedPoliciesPerUser && policies.size > held.policies.size) {
      report(['attach-user-policy'], `IAM user "${name}" would have ${policies.size} attached managed policies; the account allows ${quotas.attachedPoliciesPerUser} per user`, 'plan/quota-attached-policies');
    }
    if (groups.size > quotas.groupsPerUser && groups.size > held.groups.size) {
      report(['add-user-to-group'], `IAM user "${name}" would be in ${groups.size} groups; the account allows ${quotas.groupsPerUser} per user`, 'plan/quota-groups');
    }
    const after = inlineSize(inline.values());
    if (after > quotas.userPolicySize && after > inlineSize(held.inline.values())) {
      report(['put-user-policy'], `IAM user "${name}" would have ${after} characters of inline policy (whitespace not counted); the account allows ${quotas.userPolicySize} per user`, 'plan/quota-inline-size');
    }
  }
  return problems;
}
