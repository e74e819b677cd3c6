import type { ExpiringGrant } from './find-expiring-grants.js';

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

/** The identity of a notice: the grant file and the day its access ends (a renewal gets a new notice). */
export function expiryNoticeMarker(grant: Pick<ExpiringGrant, 'file' | 'expires'>): string {
  const day = new Date(Date.parse(grant.expires)).toISOString().slice(0, 10);
  return `<!-- grantops:expiry-notice ${grant.file} ${day} -->`;
}

/** Tells the grantee when their access ends and how to keep it. */
export function buildExpiryNotice(grant: ExpiringGrant): ExpiryNotice {
  const day = new Date(Date.parse(grant.expires)).toISOString().slice(0, 10);
  const renewal = grant.renewable
    ? [
        `Once it has ended, and until your approval expires at ${grant.approvalExpires}, a renewal needs no reviewer: the pull request is approved at once.`,
        '',
        '```sh',
        `grantops request --resource ${grant.resource} --for-duration 7d`,
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
        `grantops request --resource ${grant.resource} --for-duration 7d --reason "..."`,
        '```',
      ];
  return {
    marker: expiryNoticeMarker(grant),
    title: `Access to ${grant.resource} for @${grant.user} ends on ${day}`,
    assignee: grant.user,
    body: [
      expiryNoticeMarker(grant),
      `@${grant.user}, your access to \`${grant.resource}\` (\`${grant.file}\`) ends at **${grant.expires}**. A scheduled \`grantops expire\` run removes it then.`,
      '',
      ...renewal,
      '',
      'If you no longer need it, nothing to do: it ends by itself. To give it up now, delete the grant file in a pull request (no reviewer needed).',
    ].join('\n'),
  };
}
