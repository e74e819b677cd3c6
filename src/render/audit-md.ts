import type { AuditEvent, AuditReport, GrantTimeline } from '../core/audit/audit-report.js';

export type AuditGrouping = 'person' | 'resource';

/**
 * The audit as a person reads it: what the report could and could not see, the summary (active grants,
 * changes without a valid decision record, access still provisioned after its expiry), the verification,
 * then one table per person (or per resource) with every grant's lifecycle, oldest first.
 */
export function renderAuditMarkdown(report: AuditReport, grouping: AuditGrouping = 'person'): string {
  const out: string[] = [];
  const { coverage, summary } = report;
  out.push(`# Access audit of \`${report.dir}/\``, '');
  out.push(
    `At ${coverage.head ? `commit \`${short(coverage.head)}\`` : 'an empty repository'}, generated ${report.generatedAt}; ` +
      `${coverage.commits} commit${coverage.commits === 1 ? '' : 's'} read${coverage.since ? `, the oldest from ${coverage.since}` : ''}.`,
    '',
  );
  if (coverage.shallow) out.push(`> **Shallow clone.** ${coverage.shallow.message}`, '');
  if (coverage.notesMissing) out.push(`> **No decision notes.** ${capitalize(coverage.notesMissing)}.`, '');

  out.push('## Summary', '');
  out.push(`- Active grants: ${summary.activeGrants.length}`);
  out.push(`- Changes that reached the default branch without a valid decision record: ${summary.unrecordedChanges.length}`);
  // What is provisioned is known only from the decision notes apply and expire record: without them, say so.
  out.push(`- Access still provisioned after its expiry: ${coverage.notesMissing ? UNKNOWN_WITHOUT_NOTES : summary.provisionedAfterExpiry.length}`);
  out.push(`- Decision records that fail their checks: ${summary.recordProblems.length}`, '');

  if (summary.activeGrants.length > 0) {
    out.push('### Active grants', '');
    out.push(...table(['Person', 'Resource', 'Expires'], summary.activeGrants.map((g) => [g.user, g.resource, g.expires])), '');
  }
  if (summary.unrecordedChanges.length > 0) {
    out.push('### Changes without a valid decision record', '');
    out.push(...table(['When', 'Commit', 'File', 'What'], summary.unrecordedChanges.map((c) => [c.at, code(short(c.commit)), code(c.file), c.message])), '');
  }
  if (summary.provisionedAfterExpiry.length > 0) {
    out.push('### Access still provisioned after its expiry', '');
    out.push(
      ...table(
        ['Person', 'Resource', 'Expires', 'Why it should be gone', 'Provisioned since'],
        summary.provisionedAfterExpiry.map((g) => [g.user, g.resource, g.expires ?? '?', g.reason, g.since]),
      ),
      '',
    );
  }
  if (summary.recordProblems.length > 0) {
    out.push('### Decision records that fail their checks', '');
    out.push(...table(['Commit', 'Check', 'Problem'], summary.recordProblems.map((p) => [code(short(p.commit)), p.rule, p.message])), '');
  }

  if (report.findings) {
    out.push('## Verification', '');
    if (report.findings.length === 0) {
      out.push('Every change that reached the default branch carries a decision record that satisfies the rules as they stood at the time.', '');
    } else {
      out.push(`${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}:`, '');
      out.push(...table(['When', 'Commit', 'Finding', 'Files', 'Why'], report.findings.map((f) => [f.at ?? '', code(short(f.commit)), f.rule, f.files.map(code).join(', '), f.message])), '');
    }
  }

  const groups = new Map<string, GrantTimeline[]>();
  for (const grant of report.grants) {
    const key = grouping === 'person' ? grant.user : grant.resource;
    groups.set(key, [...(groups.get(key) ?? []), grant]);
  }
  if (groups.size === 0) out.push('No grant has any event in the period and scope asked for.', '');
  for (const [key, grants] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`## ${grouping === 'person' ? 'Person' : 'Resource'}: ${key}`, '');
    for (const grant of grants) out.push(`- ${code(grant.file)}: ${stateOf(grant, coverage.notesMissing !== undefined)}`);
    out.push('');
    const other = grouping === 'person' ? 'Resource' : 'Person';
    const rows = grants
      .flatMap((g) => g.events.map((e) => ({ g, e })))
      .sort((a, b) => Date.parse(a.e.at) - Date.parse(b.e.at))
      .map(({ g, e }) => [e.at, grouping === 'person' ? g.resource : g.user, e.type, e.by ?? '', e.role ?? '', e.commit ?? e.headSha ? code(short((e.commit ?? e.headSha)!)) : '', e.pr === undefined ? '' : `#${e.pr}`, detailsOf(e)]);
    out.push(...table(['When', other, 'Event', 'By', 'Role', 'Commit', 'PR', 'Details'], rows), '');
  }
  return out.join('\n');
}

const UNKNOWN_WITHOUT_NOTES = 'unknown without decision notes';

function stateOf(grant: GrantTimeline, notesMissing: boolean): string {
  const c = grant.current;
  const iam = notesMissing ? `provisioning ${UNKNOWN_WITHOUT_NOTES}` : grant.provisioned ? 'provisioned' : 'not provisioned';
  if (!c) return `deleted from the branch; ${iam}`;
  return `${c.status}${c.expires ? `, expires ${c.expires}` : ''}${c.approvalExpires ? `, approval valid until ${c.approvalExpires}` : ''}; ${iam}`;
}

function detailsOf(event: AuditEvent): string {
  const parts = [event.details];
  if (event.headSha && event.type !== 'approved') parts.push(`head ${short(event.headSha)}`);
  return parts.join('; ');
}

function table(headers: string[], rows: string[][]): string[] {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
