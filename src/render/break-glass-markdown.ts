import type { ApprovalResult, RoleEvaluation } from '../core/approval/approval-result.js';
import type { BreakGlassRatification } from '../core/approval/ratify-break-glass.js';
import type { CheckRunReport } from '../ports.js';

/** The check a merged break-glass pull request carries on its head while it waits for ratification. */
export const RATIFICATION_CHECK_NAME = 'grantops/ratification';
export const RATIFICATION_COMMENT_MARKER = '<!-- grantops:ratification -->';

const who = (login: string) => `@${login}`;

function rolesText(roles: readonly RoleEvaluation[]): string {
  return roles.map((r) => (r.status === 'satisfied' ? `${r.role}: ratified by ${who(r.satisfiedBy!)}` : `${r.role}: ${r.candidates.map(who).join(' or ') || 'nobody can'}`)).join('; ');
}

/** The warning a pull request with break-glass grants opens with, in the check and the comment: it must not read like an ordinary approval. */
export function renderBreakGlassWarning(result: ApprovalResult): string[] {
  const used = result.grants.filter((g) => g.breakGlass && g.status === 'approved');
  if (used.length === 0) return [];
  return [
    '> [!CAUTION]',
    '> **BREAK-GLASS.** Approved at once, without the approvals the sensitivity normally needs. Merging applies it at once; the owners and the org owners are told of every use.',
    ...used.map((g) => `> - \`${g.user}\` → \`${g.resource}\` (holds ${g.breakGlass!.heldRole}, at most ${g.breakGlass!.maxAccess}): to be ratified within ${g.breakGlass!.ratifyWithin} of the merge by an approving review of this pull request — ${rolesText(g.roles)} — or the next expire run revokes it.`),
    '',
  ];
}

function ratificationTitle(verdicts: readonly BreakGlassRatification[]): string {
  if (verdicts.some((v) => v.status === 'unratified')) return 'Break-glass NOT ratified: revoked by the next expire run';
  if (verdicts.some((v) => v.status === 'pending')) return `Break-glass awaiting ratification until ${earliest(verdicts.filter((v) => v.status === 'pending'))}`;
  return 'Break-glass ratified';
}

function earliest(verdicts: readonly BreakGlassRatification[]): string {
  return verdicts.map((v) => v.deadline).sort()[0]!.replace(/\.\d{3}Z$/, 'Z');
}

function ratificationLines(verdicts: readonly BreakGlassRatification[]): string[] {
  return verdicts.map((v) => `- \`${v.user}\` → \`${v.resource}\`: **${v.status}** — ${v.why}${v.status === 'ratified' ? '' : `. ${rolesText(v.roles)}`}`);
}

/** The ratification check on the merged head: in progress while the window is open, then success or failure. */
export function renderRatificationCheckRun(verdicts: readonly BreakGlassRatification[], headSha: string): CheckRunReport {
  const unratified = verdicts.some((v) => v.status === 'unratified');
  const pending = verdicts.some((v) => v.status === 'pending');
  return {
    name: RATIFICATION_CHECK_NAME,
    headSha,
    ...(unratified ? { status: 'completed', conclusion: 'failure' } : pending ? { status: 'in_progress' } : { status: 'completed', conclusion: 'success' }),
    title: ratificationTitle(verdicts),
    summary: [
      'This pull request was merged as break-glass. The approvers its sensitivity requires ratify it with an approving review of this pull request; only such a review counts, from someone who fills a required role and is not the requester.',
      '',
      ...ratificationLines(verdicts),
    ].join('\n'),
    annotations: [],
  };
}

/** One comment on the merged pull request, kept up to date, that asks (mentions) the ratifiers. */
export function renderRatificationComment(verdicts: readonly BreakGlassRatification[]): string {
  const pending = verdicts.filter((v) => v.status === 'pending');
  const ask = [...new Set(pending.flatMap((v) => v.roles.filter((r) => r.status === 'missing').flatMap((r) => r.candidates)))];
  return [
    RATIFICATION_COMMENT_MARKER,
    `### 🚨 ${ratificationTitle(verdicts)}`,
    '',
    ...(ask.length > 0 ? [`${ask.map(who).join(', ')}: this break-glass access was taken without your approval. Please ratify it with an approving review of this pull request, or say why not.`, ''] : []),
    ...ratificationLines(verdicts),
    '',
    '<sub>Updated automatically by grantops.</sub>',
  ].join('\n') + '\n';
}
