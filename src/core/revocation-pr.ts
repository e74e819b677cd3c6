import type { Revocation } from './expiry/find-lapsed-grants.js';
import { renewalCommand } from './expiry/renewal-command.js';

/** The one branch every revocation is written on: one open revocation pull request at a time. */
export const REVOCATION_BRANCH = 'grantops/revoke';

/** Hidden in the body so a person (or a search) can tell grantops's revocation pull request apart. */
export const REVOCATION_MARKER = '<!-- grantops:revocation -->';

export interface RevocationPullRequest {
  title: string;
  body: string;
  /** The commit message of the revocation commit: the same facts, for `git log`. */
  commitMessage: string;
}

export interface RevocationContext {
  /** When the expire run removed the access. */
  now: Date;
  /** Grant files whose access a person carries out (provision: manual), with the issue that asks them, if any. */
  manual?: ReadonlyMap<string, string | undefined>;
  /** The longest access each resource allows (`suggestedAccessMs`): what the lines to get it back ask for. */
  accessLimitMs: (resource: string) => number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function effect(r: Revocation): string {
  return r.action === 'delete' ? 'deletes the file' : 'sets `status: expired`';
}

function accessNote(r: Revocation, ctx: RevocationContext): string {
  if (!r.accessLapsed) return 'removed at an earlier run';
  if (ctx.manual?.has(r.file)) {
    const issue = ctx.manual.get(r.file);
    return `removal asked of the owners${issue ? ` (${issue})` : ''}`;
  }
  return 'removed from IAM';
}

/**
 * The revocation pull request's title, body and commit message. It lists every grant it records as over
 * (person, resource, expired at, approval valid until, what it does to the file) and how to get the
 * access back. The pull request records the revocation; it does not gate it: the access is already gone.
 */
export function buildRevocationPullRequest(revocations: readonly Revocation[], ctx: RevocationContext): RevocationPullRequest {
  const at = ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const title =
    revocations.length === 1
      ? `Revoke expired access: ${revocations[0]!.user} / ${revocations[0]!.resource}`
      : `Revoke expired access: ${plural(revocations.length, 'grant')}`;

  const rows = revocations.map(
    (r) => `| @${r.user} | \`${r.resource}\` | ${r.expires} | ${r.approvalExpires ? (r.action === 'delete' ? `expired ${r.approvalExpires}` : r.approvalExpires) : 'none'} | ${effect(r)} | ${accessNote(r, ctx)} |`,
  );
  // A break-glass grant kept while its ratification is awaited has no approval to renew under.
  const renewable = revocations.filter((r) => r.action === 'mark-expired' && r.approvalExpires);
  const gone = revocations.filter((r) => r.action === 'delete');
  const body = [
    REVOCATION_MARKER,
    `\`grantops expire\` found ${plural(revocations.length, 'grant')} whose access is over. The access has been removed whether or not this pull request is merged: merging it records the revocation in the repository. It needs no reviewer: giving access up needs nobody.`,
    '',
    '| person | resource | expired at | approval valid until | this pull request | access |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '### How to get the access back',
    ...(renewable.length > 0
      ? [
          'Until the approval expires, a renewal needs no reviewer: the pull request is approved at once. Run, for example:',
          '',
          ...renewable.map((r) => `- @${r.user}: \`${renewalCommand(r, ctx.accessLimitMs(r.resource), 'renewal')}\` (renewable until ${r.approvalExpires})`),
          '',
          'or edit the grant file: move `expires` forward (not past `approvalExpires`) and set `status: active`.',
        ]
      : []),
    ...(gone.length > 0
      ? [
          `${renewable.length > 0 ? '\n' : ''}Grants whose approval has expired too are deleted; asking again is a new request that needs the full approval:`,
          '',
          ...gone.map((r) => `- @${r.user}: \`${renewalCommand(r, ctx.accessLimitMs(r.resource), 'new')}\``),
        ]
      : []),
    '',
    'This pull request is updated by each `grantops expire` run while it is open.',
  ].join('\n');

  const commitMessage = [
    title,
    '',
    `Access over at ${at}; grantops expire removed it and records it here.`,
    '',
    ...revocations.map((r) => `- ${r.file}: ${r.action === 'delete' ? 'deleted' : 'status expired'} (expired ${r.expires}; ${r.why})`),
  ].join('\n');
  return { title, body, commitMessage };
}
