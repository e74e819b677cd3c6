import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { GrantRef, NotificationEvent } from './notification-event.js';

/**
 * The identity of an event: the same happening gives the same key on every run, so a rerun (of a job,
 * of a webhook delivery) finds it already delivered and does not send it again. It is built from what
 * the happening is about (pull request and head commit, grant and the access period it ends, the drift
 * found), never from when a run saw it.
 */
export function notificationKey(event: NotificationEvent): string {
  const scope = event.repository ? `${event.repository}:` : '';
  return `${scope}${event.kind}:${identity(event)}`;
}

function identity(event: NotificationEvent): string {
  switch (event.kind) {
    case 'approval-requested':
      return `#${event.pullRequest.number}@${event.headSha}`;
    case 'approval-given':
      return `#${event.pullRequest.number}@${event.headSha}:${event.approver}`;
    case 'access-provisioned':
      return `${grantId(event.grant)}@${event.commit}`;
    case 'access-ending-soon':
      return `${grantId(event.grant)}@${event.grant.expires}`;
    case 'access-revoked':
      return `${grantId(event.grant)}@${event.grant.expires ?? event.commit ?? event.at}`;
    case 'break-glass-used':
    case 'break-glass-not-ratified':
      return `${grantId(event.grant)}#${event.pullRequest.number}`;
    case 'drift-found':
      // The same drift is told once, however many runs see it; a different drift is a new event.
      return `${event.system}:${digest(event.items.map((i) => `${i.resource ?? ''}\u0000${i.description}`).sort())}`;
  }
}

function grantId(grant: GrantRef): string {
  return `${grant.user}/${grant.resource}`;
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}
