import { renderNotificationSummary } from './notification-report.js';
import { countOutcomes, type ActionReport, type OperationRow } from '../action/action-report.js';
import { isRemoval, targetText } from '../core/plan/iam-operation.js';

const OUTCOME_LABEL: Record<OperationRow['outcome'], string> = {
  planned: '📝 planned',
  applied: '✅ applied',
  failed: '❌ failed',
  manual: '🖐️ manual',
};

/** A table cell: pipes and line breaks would break the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function code(text: string): string {
  return text === '' ? '' : `\`${text.replace(/`/g, "'")}\``;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The job summary: a headline, the operations with their results, withheld changes, then problems. */
export function renderActionSummary(report: ActionReport): string {
  const counts = countOutcomes(report);
  const title = `grantops ${report.command}${report.dryRun ? ' (dry run)' : ''}`;
  const out: string[] = [`## ${title}`, ''];

  const headline = [plural(counts.operations, 'operation')];
  if (counts.applied > 0 || counts.failed > 0) headline.push(`${counts.applied} applied`, `${counts.failed} failed`);
  if (counts.manual > 0) headline.push(plural(counts.manual, 'manual step'));
  if (counts.withheld > 0) headline.push(`${plural(counts.withheld, 'change')} withheld`);
  if (counts.withheldGrants > 0) headline.push(`${plural(counts.withheldGrants, 'grant')} withheld by problems`);
  if (report.retries && report.retries.total > 0) headline.push(`${plural(report.retries.total, 'call')} retried`);
  out.push(report.failure && report.rows.length === 0 ? '❌ stopped before planning' : `${report.ok ? '✅' : '❌'} ${headline.join(' · ')}`, '');

  if (report.failure) out.push(`> [!CAUTION]`, `> ${cell(report.failure)}`, '');
  for (const note of report.notes) out.push(`> [!NOTE]`, `> ${cell(note)}`, '');

  // Per system: what approvers check first (which accounts a merge touches, and how much).
  const systems = [...new Set(report.rows.map((r) => r.operation.system))].sort();
  if (systems.length > 0) {
    for (const system of systems) {
      const ofSystem = report.rows.filter((r) => r.operation.system === system && r.outcome !== 'manual');
      const removals = ofSystem.filter((r) => isRemoval(r.operation)).length;
      out.push(`- ${code(system)}: ${ofSystem.length - removals} to add, ${removals} to remove`);
    }
    out.push('');
  }

  if (report.rows.length === 0 && !report.failure) {
    out.push('IAM already matches the repository: nothing to change.', '');
  } else if (report.rows.length > 0) {
    out.push('| Result | Action | System | Principal | Target | Grant | Reason |', '|---|---|---|---|---|---|---|');
    for (const row of report.rows) {
      const op = row.operation;
      const result = row.error ? `${OUTCOME_LABEL[row.outcome]}: ${row.error}` : OUTCOME_LABEL[row.outcome];
      out.push(
        `| ${cell(result)} | ${op.action} | ${cell(op.system)} | ${cell(code(op.principal))} | ${cell(code(targetText(op)))} | ${cell(op.grant ? code(op.grant) : `drift on ${op.resource}`)} | ${cell(op.reason)} |`,
      );
    }
    out.push('');
  }

  const withheldGrants = report.withheld ?? [];
  if (withheldGrants.length > 0) {
    out.push(
      '### Withheld: grants a problem holds back',
      '',
      'Each is held back alone: everything else was carried out, removals included. The access a withheld grant already gives stays as it is until its file is fixed.',
      '',
      '| Grant | Problem | Would have |',
      '|---|---|---|',
    );
    for (const w of withheldGrants) {
      const problems = w.problems.map((d) => `${d.rule} (${d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file}): ${d.message}`).join('<br>');
      const would = w.operations.map((op) => `${op.action} ${code(op.principal)} ${code(op.target)} in ${cell(op.system)}`).join('<br>') || 'nothing to change yet';
      out.push(`| ${cell(code(w.file))} | ${cell(problems)} | ${would} |`);
    }
    out.push('');
  }
  if (report.retries && report.retries.total > 0) {
    const kinds = Object.entries(report.retries.byReason).map(([reason, n]) => `${n} ${reason}`).join(', ');
    out.push(`> [!NOTE]`, `> IAM calls were retried ${report.retries.total} time${report.retries.total === 1 ? '' : 's'} (${kinds})${report.retries.gaveUp > 0 ? `; ${report.retries.gaveUp} gave up` : '; every one recovered'}.`, '');
  }

  const rejections = report.provenance?.rejections ?? [];
  if (rejections.length > 0) {
    const restored = new Map((report.provenance?.files ?? []).map((f) => [f.path, f.restoreFrom]));
    const instead = (path: string) => {
      const from = restored.get(path);
      return from ? `as of ${code(from.slice(0, 12))}` : 'left out';
    };
    out.push(
      '### Withheld: changes that did not arrive through an approved pull request',
      '',
      'These changes are in the branch but are not applied, on this run or any later one: each file is applied as its last confirmed version, or left out when it has none. Revert them, or make them again through a pull request that passes the grantops check.',
      '',
      '| Change | File | Commit | Applied instead | Why |',
      '|---|---|---|---|---|',
    );
    for (const r of rejections) {
      out.push(`| ${cell(r.subject)} | ${cell(code(r.path))} | ${code(r.commit.slice(0, 12))} | ${instead(r.path)} | ${cell(r.message)} |`);
    }
    out.push('');
  }
  // Files GitHub confirmed in this run; those a decision note already confirmed are only counted.
  const files = report.provenance?.files ?? [];
  const vouched = files.filter((f) => f.confirmed && f.confirmedBy?.by === 'pull-request');
  if (vouched.length > 0) {
    const via = (f: (typeof vouched)[number]) => [...new Set(f.vouchers.map((v) => `#${v.pullRequest}`))].join(', ');
    out.push(`<details><summary>${plural(vouched.length, 'changed file')} confirmed through approved pull requests</summary>`, '');
    for (const f of vouched) out.push(`- ${f.subject} (${code(f.path)}) via ${via(f)}`);
    out.push('', '</details>', '');
  }
  const recorded = files.filter((f) => f.confirmed && f.confirmedBy?.by === 'note').length;
  if (recorded > 0) out.push(`${plural(recorded, 'access file')} confirmed by decision notes of earlier runs.`, '');
  const untrusted = report.provenance?.untrustedNotes ?? [];
  if (untrusted.length > 0) {
    out.push('### Untrusted decision notes', '', 'These notes were not written by this workflow (no seal made with its notes key), or were altered since: they confirm nothing, and their commits were confirmed with GitHub instead.', '', '| Commit | Problem |', '|---|---|');
    for (const p of untrusted) out.push(`| ${code(p.commit.slice(0, 12))} | ${cell(p.message)} |`);
    out.push('');
  }

  const notifications = renderNotificationSummary(report.notifications);
  if (notifications) out.push(notifications);

  if (report.diagnostics.length > 0) {
    out.push('### Problems', '', '| Severity | Where | Rule | Message |', '|---|---|---|---|');
    for (const d of report.diagnostics) {
      const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
      out.push(`| ${d.severity} | ${cell(code(where))} | ${cell(d.rule)} | ${cell(d.message)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
