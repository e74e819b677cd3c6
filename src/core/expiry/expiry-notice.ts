import { describeUseEvidence, unusedMark, type UnusedGrantUse } from '../usage/assess-grant-use.js';
import type { ExpiringGrant } from './find-expiring-grants.js';
import { renewalCommand } from './renewal-command.js';

/** The label every expiry notice carries, so a run finds the notices earlier runs left. */
export const EXPIRY_NOTICE_LABEL = 'grantops:expiring';

export interface ExpiryNotice {
  /** Hidden in the body: one notice per grant and expiry date, whatever the number of runs. */
  marker: string;
  title: string;
  body: string;
  /** Who the notice is for. */
  assignee: string;
}

export interface ExpiryNoticeFacts {
  /** The longest access the resource allows (`suggestedAccessMs`): what the renewal line asks for. */
  accessLimitMs: number;
  /** Present only when the account's usage facts show the grant unused: never a claim without data. */
  unused?: UnusedGrantUse;
}

function dayOf(expires: string): string {
  return new Date(Date.parse(expires)).toISOString().slice(0, 10);
}

/** The identity of a notice: the grant file and the day its access ends (a renewal gets a new notice). */
export function expiryNoticeMarker(grant: Pick<ExpiringGrant, 'file' | 'expires'>): string {
  return `<!-- grantops:expiry-notice ${grant.file} ${dayOf(grant.expires)} -->`;
}

/** The grant file and expiry day a notice's body names, read back from its marker. */
export function parseExpiryNoticeMarker(body: string): { file: string; day: string } | undefined {
  const match = /<!-- grantops:expiry-notice (.+) (\d{4}-\d{2}-\d{2}) -->/.exec(body);
  return match ? { file: match[1]!, day: match[2]! } : undefined;
}

/** Tells the grantee when their access ends, how to keep it, and (with usage facts) that they do not use it. */
export function buildExpiryNotice(grant: ExpiringGrant, facts: ExpiryNoticeFacts): ExpiryNotice {
  const renewal = grant.renewable
    ? [
        `Once it has ended, and until your approval expires at ${grant.approvalExpires}, a renewal needs no reviewer: the pull request is approved at once.`,
        '',
        '```sh',
        renewalCommand(grant, facts.accessLimitMs, 'renewal'),
        '```',
        '',
        'Asking for more time before it ends is an extension and needs the usual approval.',
      ]
    : [
        grant.approvalExpires
          ? `Your approval ends with the access (${grant.approvalExpires}), so keeping it is a new request with the full approval:`
          : 'The grant has no approval to renew under, so keeping it is a new request with the full approval:',
        '',
        '```sh',
        renewalCommand(grant, facts.accessLimitMs, 'new'),
        '```',
      ];
  const unused = facts.unused
    ? [
        '',
        `**${capitalise(unusedMark(facts.unused))}**: ${describeUseEvidence(facts.unused)} (access unused for ${facts.unused.windowDays} days is marked: \`risk.unusedAfter\`). If you do not need it, let it end.`,
      ]
    : [];
  return {
    marker: expiryNoticeMarker(grant),
    title: `Access to ${grant.resource} for @${grant.user} ends on ${dayOf(grant.expires)}`,
    assignee: grant.user,
    body: [
      expiryNoticeMarker(grant),
      `@${grant.user}, your access to \`${grant.resource}\` (\`${grant.file}\`) ends at **${grant.expires}**. A scheduled \`grantops expire\` run removes it then.`,
      ...unused,
      '',
      ...renewal,
      '',
      'If you no longer need it, nothing to do: it ends by itself. To give it up now, delete the grant file in a pull request (no reviewer needed).',
    ].join('\n'),
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
