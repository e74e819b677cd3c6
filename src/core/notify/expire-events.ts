import type { ExpiringGrant } from '../expiry/find-expiring-grants.js';
import type { Revocation } from '../expiry/find-lapsed-grants.js';
import type { AccessRepo } from '../model.js';
import { describeOperation, type OperationResult } from '../plan/iam-operation.js';
import { grantRefOf, scopeOf, type EventContext } from './event-context.js';
import type { AccessEndingSoonEvent, AccessRevokedEvent } from './notification-event.js';
import { recipientsAs } from './recipients.js';

export interface ExpireFacts {
  /** Grants whose access ends within `expiry.warnBefore`, with their renewal line and notice, when known. */
  expiring: ReadonlyArray<{ grant: ExpiringGrant; renewal?: string; noticeUrl?: string }>;
  /** Revocations this run recorded. */
  recorded: readonly Revocation[];
  /** The IAM removals it carried out. */
  results: readonly OperationResult[];
  revocationUrl?: string;
}

/**
 * What an expire run tells: each grant ending soon (told once per access period: the key holds its
 * `expires`, so daily runs do not repeat it) and each grant whose access this run removed.
 */
export function findExpireEvents(repo: AccessRepo, facts: ExpireFacts, context: EventContext): Array<AccessEndingSoonEvent | AccessRevokedEvent> {
  const events: Array<AccessEndingSoonEvent | AccessRevokedEvent> = [];
  for (const { grant, renewal, noticeUrl } of facts.expiring) {
    events.push({
      kind: 'access-ending-soon',
      ...scopeOf(context),
      recipients: recipientsAs([grant.user], 'grantee'),
      grant: { ...grantRefOf(repo, grant), expires: grant.expires },
      ...(renewal ? { renewal } : {}),
      ...(noticeUrl ? { noticeUrl } : {}),
    });
  }
  for (const revocation of facts.recorded) {
    // Manual resources lose their access by hand, later: the owners' issue says so, not this event.
    if (!revocation.accessLapsed || repo.resources.get(revocation.resource)?.value.provision === 'manual') continue;
    const operations = facts.results.filter((r) => r.status === 'done' && r.operation.grant === revocation.file).map((r) => describeOperation(r.operation));
    events.push({
      kind: 'access-revoked',
      ...scopeOf(context),
      recipients: recipientsAs([revocation.user], 'grantee'),
      grant: grantRefOf(repo, revocation),
      reason: 'expired',
      ...(context.commit ? { commit: context.commit } : {}),
      ...(facts.revocationUrl ? { revocationUrl: facts.revocationUrl } : {}),
      operations,
    });
  }
  return events;
}
