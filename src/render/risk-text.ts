import type { RiskFinding } from '../core/risk/find-risk-findings.js';
import type { RiskModel } from '../core/risk/risk-model.js';
import type { AccountRiskReport, PrincipalRisk } from '../core/risk/score-account.js';
import type { RiskReport } from '../core/risk/risk-scorer.js';
import { describePath } from '../core/risk/score-principal-graph.js';

/** At most `max` names, then how many more: an administrator policy allows thousands of actions. */
export function summariseActions(actions: readonly string[], max = 6): string {
  if (actions.length <= max) return actions.join(', ');
  return `${actions.slice(0, max).join(', ')} … and ${actions.length - max} more`;
}

export function findingLine(f: RiskFinding, model: RiskModel): string {
  const source = model.sources[f.source]?.author ?? f.source;
  return `  ${f.severity.padEnd(6)} ${f.rule}${f.constrained ? ' (constrained)' : ''}: +${f.points} (${f.tier})\n         ${summariseActions(f.actions)}\n         after ${source}`;
}

function principalLines(p: PrincipalRisk): string[] {
  if (!p.reach) return [`  ${String(p.score).padStart(3)}  ${p.kind} ${p.name}: ${categories(p.findings)}`];
  return [
    `  ${String(p.score).padStart(3)}  ${p.kind} ${p.name}: can become ${p.reach.kind} ${p.reach.name} (${p.reach.score}, ${p.reach.tier})`,
    `       path: ${describePath(p.reach)}`,
    `       own ${p.ownScore}: ${categories(p.findings)}`,
  ];
}

/** What `grantops risk --policy FILE` prints. */
export function renderPolicyRiskText(report: RiskReport & { file: string; catalogue: string }, model: RiskModel): string {
  const lines = [`${report.file}: risk ${report.score}/100 (risk model ${model.version}, ${report.catalogue})`];
  if (report.findings.length === 0) lines.push('  no findings');
  lines.push(...report.findings.map((f) => findingLine(f, model)));
  if (report.unknownActions.length > 0) lines.push(`  not in the catalogue (not scored): ${report.unknownActions.join(', ')}`);
  return lines.join('\n');
}

function categories(findings: readonly RiskFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.category, (counts.get(f.category) ?? 0) + 1);
  return [...counts].map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(', ') || 'no findings';
}

/** What `grantops risk` prints for whole accounts: principals, then policies, riskiest first. */
export function renderAccountRiskText(accounts: readonly (AccountRiskReport & { system: string })[], model: RiskModel): string {
  const lines: string[] = [];
  for (const account of accounts) {
    lines.push(`${account.system}: ${account.principals.length} principals, ${account.policies.length} policies (risk model ${account.model}, ${account.catalogue})`);
    lines.push('Principals:');
    for (const p of account.principals) {
      lines.push(...principalLines(p));
      if (p.unresolved.length > 0) lines.push(`       not scored (no document in the account read-out): ${p.unresolved.join(', ')}`);
    }
    lines.push('Policies:');
    for (const p of account.policies) {
      const where = p.attachedTo.length > 0 ? ` [${p.attachedTo.join(', ')}]` : ' [not attached]';
      lines.push(`  ${String(p.score).padStart(3)}  ${p.kind === 'inline' ? p.ref : p.name}${where}: ${categories(p.findings)}`);
    }
  }
  lines.push(`Scores 0-100 after the risk model ${model.version}, by reach: ${model.tiers.map((t) => `${t.id} from ${t.floor}`).join(', ')}; a principal scores the worst principal it can become. \`grantops risk --policy FILE\` details one document.`);
  return lines.join('\n');
}
