import type { GrantRef, NotificationEvent, PullRequestRef } from '../core/notify/notification-event.js';
import type { ResolvedRecipient } from '../core/notify/resolve-recipients.js';

/** An event in words, for any channel: a title (mail subject, Slack header), sentences, facts and a link. */
export interface NotificationMessage {
  title: string;
  lines: string[];
  facts: Array<[label: string, value: string]>;
  link?: { label: string; url: string };
}

const grantName = (g: GrantRef) => `${g.user}'s access to ${g.resource}`;
const pr = (p: PullRequestRef) => `pull request #${p.number}${p.title ? ` (${p.title})` : ''}`;
const prLink = (p: PullRequestRef) => (p.url ? { link: { label: `Pull request #${p.number}`, url: p.url } } : {});

/** Renders an event for the people it reaches. */
export function renderNotificationMessage(event: NotificationEvent, recipients: readonly ResolvedRecipient[]): NotificationMessage {
  const message = renderEvent(event);
  if (recipients.length > 0) {
    message.facts.push(['For', recipients.map((r) => `${r.name ?? r.login} (${r.as.join(', ')})`).join('; ')]);
  }
  if (event.repository) message.facts.push(['Repository', event.repository]);
  return message;
}

function grantFacts(g: GrantRef): Array<[string, string]> {
  const facts: Array<[string, string]> = [['Grant', `${g.user} → ${g.resource}`]];
  if (g.sensitivity) facts.push(['Sensitivity', g.sensitivity]);
  if (g.system) facts.push(['System', g.system]);
  if (g.expires) facts.push(['Access ends', g.expires]);
  return facts;
}

function renderEvent(event: NotificationEvent): NotificationMessage {
  switch (event.kind) {
    case 'approval-requested':
      return {
        title: `Approval needed: ${pr(event.pullRequest)}`,
        lines: [
          `${event.pullRequest.author ?? 'Someone'} asks for access; your approval of the latest commit is awaited.`,
          ...event.grants.map((g) => `${grantName(g)} (${g.change}): missing ${g.missing.join(', ') || 'nothing'}`),
        ],
        facts: [['Head commit', event.headSha.slice(0, 12)]],
        ...prLink(event.pullRequest),
      };
    case 'approval-given':
      return {
        title: `${event.approver} approved ${pr(event.pullRequest)}`,
        lines: [
          event.roles.length > 0 ? `The approval counts as ${event.roles.join(', ')}.` : 'The approval met no role still needed.',
          event.approved ? 'Every approval it needs is there: it can be merged.' : 'It still waits for other approvals.',
        ],
        facts: event.grants.flatMap(grantFacts),
        ...prLink(event.pullRequest),
      };
    case 'access-provisioned':
      return {
        title: `Access given: ${grantName(event.grant)}`,
        lines: [`Applied at ${event.commit.slice(0, 12)}.`, ...event.operations],
        facts: grantFacts(event.grant),
        ...(event.pullRequest ? prLink(event.pullRequest) : {}),
      };
    case 'access-ending-soon':
      return {
        title: `Access ending soon: ${grantName(event.grant)}`,
        lines: [`The access ends at ${event.grant.expires}.`, ...(event.renewal ? [`To renew: ${event.renewal}`] : [])],
        facts: grantFacts(event.grant),
        ...(event.noticeUrl ? { link: { label: 'Expiry notice', url: event.noticeUrl } } : {}),
      };
    case 'access-revoked': {
      const why = { expired: 'its time ran out', 'given-up': 'the grant was given up', 'not-ratified': 'the break-glass use was not ratified in time' }[event.reason];
      return {
        title: `Access removed: ${grantName(event.grant)}`,
        lines: [`Removed because ${why}.`, ...event.operations],
        facts: grantFacts(event.grant),
        ...(event.revocationUrl ? { link: { label: 'Revocation pull request', url: event.revocationUrl } } : {}),
      };
    }
    case 'break-glass-used':
      return {
        title: `BREAK-GLASS used: ${grantName(event.grant)}`,
        lines: [
          `Reason given: ${event.reason}`,
          `The approvers must ratify it by ${event.ratifyBy}, or the access is revoked.`,
          ...(event.uses !== undefined ? [`${event.grant.user}'s break-glass uses so far: ${event.uses}.`] : []),
        ],
        facts: grantFacts(event.grant),
        ...prLink(event.pullRequest),
      };
    case 'break-glass-not-ratified':
      return {
        title: `Break-glass NOT ratified: ${grantName(event.grant)}`,
        lines: [`Nobody ratified it by ${event.ratifyBy}.`, event.revoked ? 'The access has been revoked.' : 'The access is to be revoked.'],
        facts: grantFacts(event.grant),
        ...prLink(event.pullRequest),
      };
    case 'drift-found':
      return {
        title: `Drift in ${event.system}: ${event.items.length} difference${event.items.length === 1 ? '' : 's'} from the repository`,
        lines: event.items.map((i) => (i.resource ? `${i.resource}: ${i.description}` : i.description)),
        facts: [['Found by', event.command], ...(event.commit ? ([['Commit', event.commit.slice(0, 12)]] as Array<[string, string]>) : [])],
      };
  }
}
