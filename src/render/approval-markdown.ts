import type { ApprovalResult, GrantEvaluation, RoleEvaluation } from '../core/approval/approval-result.js';
import { countMissingApprovals } from '../core/approval/missing-approvals.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { renderBreakGlassWarning } from './break-glass-markdown.js';

/** Marks the one pull-request comment grantops keeps up to date, so it is edited rather than repeated. */
export const APPROVAL_COMMENT_MARKER = '<!-- grantops:approval -->';

export interface ApprovalMarkdownOptions {
  /** Links a file (and line) to where a reader can open it, e.g. the blob at the head SHA. */
  linkFile?: (file: string, line: number) => string;
  /** Writes logins as @mentions (GitHub notifies them); plain bold names otherwise. */
  mention?: boolean;
  /** Errors listed at most (the rest are counted); check-run annotations carry all of them. */
  maxErrors?: number;
  /** Lines added to the comment before its footer (the grants' risk). */
  appendix?: readonly string[];
}

/** One line for a check run's title: the verdict and how many approvals are missing. */
export function renderApprovalTitle(result: ApprovalResult): string {
  if (result.status === 'invalid') return `Invalid: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`;
  if (result.status === 'approved' && result.grants.some((g) => g.breakGlass)) return 'Approved as BREAK-GLASS: to be ratified after the merge';
  if (result.status === 'approved') return result.grants.length === 0 && !result.rulesChange ? 'Nothing to approve' : 'Approved';
  const n = countMissingApprovals(result);
  return `${n} approval${n === 1 ? '' : 's'} missing`;
}

/** The check-run summary: a table grant -> required roles -> approved by -> missing (and who can approve), then errors. */
export function renderApprovalMarkdown(result: ApprovalResult, options: ApprovalMarkdownOptions = {}): string {
  const who = person(options);
  const lead = result.status === 'invalid' ? 'nothing can be approved until the files below are fixed' : escapeText(result.why);
  const out: string[] = [`**${renderApprovalTitle(result)}**: ${lead}`, '', ...renderBreakGlassWarning(result)];
  if (result.grants.length > 0) {
    out.push('| Grant | Change | Sensitivity | Required | Approved by | Missing (who can approve) |', '|---|---|---|---|---|---|');
    for (const g of result.grants) {
      out.push(
        `| ${grantCell(g, options)} | ${g.change} | ${g.sensitivity ? escapeCell(sensitivityText(g)) : '—'} | ${g.required.join(', ') || 'nobody'} | ${approvedCell(g.roles, who)} | ${missingCell(g, who)} |`,
      );
    }
    out.push('');
  }
  if (result.rulesChange) {
    const r = result.rulesChange;
    out.push(
      `**Rules change** (${r.files.map((f) => `\`${escapeCell(f)}\``).join(', ')}): ${r.status === 'satisfied' ? `approved by ${who(r.satisfiedBy!)} as org owner` : `needs an org owner: ${candidatesText(r, who)}`}`,
      '',
    );
  }
  out.push(...errorSection(result.errors, options));
  out.push(...ignoredSection(result));
  return out.join('\n').trimEnd() + '\n';
}

/** The pull-request comment: the same facts in plain words, one bullet per grant. */
export function renderApprovalComment(result: ApprovalResult, options: ApprovalMarkdownOptions = {}): string {
  const who = person(options);
  const out: string[] = [APPROVAL_COMMENT_MARKER];
  if (result.status === 'approved' && result.grants.some((g) => g.breakGlass)) out.push('### 🚨 BREAK-GLASS: approved at once, to be ratified after the merge', '', ...renderBreakGlassWarning(result));
  else if (result.status === 'approved') out.push('### ✅ Access request approved', '');
  else if (result.status === 'pending') out.push(`### ⏳ ${renderApprovalTitle(result)}`, '');
  else out.push('### ❌ This request cannot be approved yet: some files are invalid', '');

  for (const g of result.grants) {
    const level = g.sensitivity ? ` (${g.sensitivity.level})` : '';
    const subject = `${who(g.user)} → \`${g.resource}\`${level}`;
    if (g.breakGlass && g.status === 'approved') {
      out.push(`- ${subject}: break-glass, approved at once; ${g.required.map((r) => `the ${r}`).join(' and ') || 'nobody'} must ratify it after the merge.`);
    } else if (g.status === 'invalid') {
      out.push(`- ${subject}: the file has ${g.errors.length} problem${g.errors.length === 1 ? '' : 's'} to fix (see below).`);
    } else if (g.required.length === 0) {
      out.push(`- ${subject}: ${plainChange(g)}, so nobody needs to approve it.`);
    } else {
      const done = g.roles.filter((r) => r.status === 'satisfied').map((r) => `${r.role} (${who(r.satisfiedBy!)})`);
      const missing = g.roles.filter((r) => r.status === 'missing').map((r) => `the ${r.role}: ${candidatesText(r, who)}`);
      const parts = [`${plainChange(g)}, which needs approval from ${g.required.map((r) => `the ${r}`).join(' and ')}`];
      if (done.length > 0) parts.push(`approved by ${done.join(' and ')}`);
      parts.push(missing.length > 0 ? `still waiting for ${missing.join('; ')}` : 'fully approved');
      out.push(`- ${subject}: ${parts.join('; ')}.`);
    }
  }
  if (result.rulesChange) {
    const r = result.rulesChange;
    out.push(`- This pull request changes the rules themselves, so an org owner must approve it: ${r.status === 'satisfied' ? `${who(r.satisfiedBy!)} did` : candidatesText(r, who)}.`);
  }
  if (result.grants.length > 0 || result.rulesChange) out.push('');
  out.push(...fallbackLines(result, who));
  const carried = result.approvals.filter((a) => a.carriedFrom !== undefined);
  if (carried.length > 0) {
    out.push('**Approvals carried over** from earlier commits that do the same to the access directory:', '');
    for (const a of carried) out.push(`- ${who(a.reviewer)} approved \`${a.carriedFrom!.slice(0, 7)}\`: ${escapeCell(a.carriedWhy ?? '')}.`);
    out.push('');
  }
  const stale = result.ignoredReviews.filter((r) => r.reason === 'stale');
  if (stale.length > 0) {
    out.push(`Approvals given before the latest push no longer count; ${stale.map((r) => who(r.reviewer)).join(', ')} may approve again.`, '');
  }
  out.push(...errorSection(result.errors, options));
  if (options.appendix && options.appendix.length > 0) out.push(...options.appendix, '');
  out.push('<sub>Only approvals of the latest commit count, or of an earlier one that makes exactly the same access changes under the same rules. Updated automatically by grantops.</sub>');
  return out.join('\n').trimEnd() + '\n';
}

/** Says where a role went to grantops.yaml's approvalFallback because nobody else could fill it. */
function fallbackLines(result: ApprovalResult, who: (l: string) => string): string[] {
  const lines: string[] = [];
  for (const g of result.grants) {
    for (const r of g.roles.filter((x) => x.fallback !== undefined)) {
      lines.push(`- Nobody but the requester could approve as ${r.role} for ${who(g.user)} → \`${g.resource}\`, so the approval fallback (\`${escapeCell(r.fallback!)}\` in grantops.yaml) applies: ${r.status === 'satisfied' ? `${who(r.satisfiedBy!)} approved` : candidatesText(r, who)}.`);
    }
  }
  const rules = result.rulesChange;
  if (rules?.fallback !== undefined) lines.push(`- Nobody but the author could approve the rules change as org owner, so the approval fallback (\`${escapeCell(rules.fallback)}\`) applies.`);
  return lines.length > 0 ? ['**Approval fallback applied**', '', ...lines, ''] : [];
}

function plainChange(g: GrantEvaluation): string {
  switch (g.change) {
    case 'new': return 'a new grant';
    case 'renewal': return 'a renewal within a still-valid approval';
    case 'extension': return 'an extension of the access';
    case 'change': return 'a change to the grant';
    case 'give-up': return 'access given up';
    case 'unchanged': return 'no change to the grant itself';
  }
}

function person(options: ApprovalMarkdownOptions): (login: string) => string {
  return options.mention ? (login) => `@${login}` : (login) => `**${escapeCell(login)}**`;
}

function sensitivityText(g: GrantEvaluation): string {
  const s = g.sensitivity!;
  return s.escalatedBy > 0 ? `${s.level} (raised from ${s.resourceLevel})` : s.level;
}

function grantCell(g: GrantEvaluation, options: ApprovalMarkdownOptions): string {
  const label = `\`${escapeCell(g.user)}\` → \`${escapeCell(g.resource)}\``;
  return options.linkFile ? `[${label}](${options.linkFile(g.file, g.line)})` : `${label}<br><sub>${escapeCell(g.file)}</sub>`;
}

function approvedCell(roles: readonly RoleEvaluation[], who: (l: string) => string): string {
  const done = roles.filter((r) => r.status === 'satisfied').map((r) => `${r.role}: ${who(r.satisfiedBy!)}${r.fallback !== undefined ? ` (fallback ${escapeCell(r.fallback)})` : ''}`);
  return done.join('<br>') || '—';
}

function missingCell(g: GrantEvaluation, who: (l: string) => string): string {
  if (g.status === 'invalid') return 'invalid file, see errors';
  if (g.breakGlass) return `break-glass: to ratify within ${g.breakGlass.ratifyWithin} of the merge`;
  const missing = g.roles.filter((r) => r.status === 'missing').map((r) => `${r.role}: ${candidatesText(r, who)}`);
  return missing.join('<br>') || '—';
}

function candidatesText(role: RoleEvaluation, who: (l: string) => string): string {
  if (role.candidates.length === 0) return `nobody can approve (${escapeCell(role.why)})`;
  const names = role.candidates.map(who);
  return names.length === 1 ? names[0]! : `any of ${names.join(', ')}`;
}

function errorSection(errors: readonly Diagnostic[], options: ApprovalMarkdownOptions): string[] {
  if (errors.length === 0) return [];
  const max = options.maxErrors ?? 50;
  const lines = [`**Errors** (${errors.length}):`, ''];
  for (const d of errors.slice(0, max)) {
    const where = `${d.file}:${d.line}:${d.column}`;
    const place = options.linkFile ? `[\`${escapeCell(where)}\`](${options.linkFile(d.file, d.line)})` : `\`${escapeCell(where)}\``;
    lines.push(`- ${place} \`${d.rule}\`: ${escapeText(d.message)}`);
  }
  if (errors.length > max) lines.push(`- … and ${errors.length - max} more`);
  lines.push('');
  return lines;
}

function ignoredSection(result: ApprovalResult): string[] {
  if (result.ignoredReviews.length === 0) return [];
  return ['<details><summary>Reviews that do not count</summary>', '', ...result.ignoredReviews.map((r) => `- ${escapeText(r.why)}`), '', '</details>', ''];
}

function escapeCell(text: string): string {
  return escapeText(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Keeps user-written text (file names, messages) from becoming markup or HTML. */
function escapeText(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
