import type { AccessRepo } from '../model.js';
import type { AccessPlan } from '../plan/access-plan.js';
import { describeOperation, isRemoval, type IamOperation, type OperationResult } from '../plan/iam-operation.js';
import { grantRefOf, scopeOf, type EventContext } from './event-context.js';
import type { AccessProvisionedEvent, AccessRevokedEvent, DriftFoundEvent } from './notification-event.js';
import { recipientsAs } from './recipients.js';

/**
 * What an apply run tells: each grant whose access it gave (`access-provisioned`), and each grant given
 * up whose access it took away (`access-revoked`, reason `given-up`). Only operations that succeeded
 * count; drift removals are told as drift.
 */
export function findApplyEvents(repo: AccessRepo, results: readonly OperationResult[], context: EventContext & { commit: string }): Array<AccessProvisionedEvent | AccessRevokedEvent> {
  const done = new Map<string, IamOperation[]>();
  for (const { operation, status } of results) {
    if (status !== 'done' || operation.grant === null || operation.drift) continue;
    const key = `${isRemoval(operation) ? '-' : '+'}${operation.grant}`;
    done.set(key, [...(done.get(key) ?? []), operation]);
  }
  const loginOf = new Map([...repo.people].flatMap(([login, p]) => (p.value.aws?.user ? [[p.value.aws.user, login] as const] : [])));
  const events: Array<AccessProvisionedEvent | AccessRevokedEvent> = [];
  for (const [key, operations] of done) {
    const file = key.slice(1);
    const first = operations[0]!;
    const grant = repo.grants.get(file)?.value;
    const user = grant?.user ?? loginOf.get(first.principal) ?? first.principal;
    const ref = grantRefOf(repo, { user, resource: first.resource, file, ...(grant ? { expires: grant.expires } : {}) });
    const common = { ...scopeOf(context), recipients: recipientsAs([user], 'grantee'), grant: ref, operations: operations.map(describeOperation) };
    if (key.startsWith('+')) events.push({ kind: 'access-provisioned', ...common, commit: context.commit });
    else events.push({ kind: 'access-revoked', ...common, reason: 'given-up', commit: context.commit });
  }
  return events;
}

/**
 * Drift: access on an exclusive resource that nobody granted, one event per system, told to the org
 * owners and the owners of the resources it touches. Its key is the drift itself, so the same drift is
 * told once however many runs find it.
 */
export function findDriftEvents(repo: AccessRepo, plan: Pick<AccessPlan, 'operations'>, context: EventContext & { command: 'plan' | 'apply' }): DriftFoundEvent[] {
  const bySystem = new Map<string, IamOperation[]>();
  for (const op of plan.operations) if (op.drift) bySystem.set(op.system, [...(bySystem.get(op.system) ?? []), op]);
  return [...bySystem].map(([system, operations]) => ({
    kind: 'drift-found',
    ...scopeOf(context),
    recipients: [
      ...recipientsAs(repo.org?.value.owners ?? [], 'org-owner'),
      ...recipientsAs([...new Set(operations.flatMap((op) => repo.resources.get(op.resource)?.value.owners ?? []))], 'owner'),
    ],
    system,
    command: context.command,
    ...(context.commit ? { commit: context.commit } : {}),
    items: operations.map((op) => ({ resource: op.resource, description: `${op.principal} holds ${op.target} (${op.reason})` })),
  }));
}
