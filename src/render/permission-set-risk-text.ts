import type { RiskModel } from '../core/risk/risk-model.js';
import type { IdentityCenterPrincipalRisk } from '../core/risk/identity-center-reach.js';
import { describePath } from '../core/risk/score-principal-graph.js';
import type { IdentityCenterRiskReport, ScoredPermissionSet } from '../core/risk/score-identity-center.js';

function assignments(set: ScoredPermissionSet): string {
  const { users, groups } = set.assignments;
  if (users + groups === 0) return 'not assigned';
  const parts = [users > 0 ? `${users} user` : '', groups > 0 ? `${groups} group` : ''].filter(Boolean);
  const accounts = set.accounts.map((a) => (set.accounts.some((b) => b.score !== a.score) ? `${a.account} (${a.score})` : a.account));
  return `${parts.join(' + ')} assignment${users + groups === 1 ? '' : 's'} in ${accounts.join(', ')}`;
}

/** One permission set: its score, where it is assigned, each policy alone, and every finding with the policies it comes from. */
export function permissionSetLines(set: ScoredPermissionSet): string[] {
  const lines = [`  ${String(set.score).padStart(3)}  ${set.name} [${assignments(set)}]${set.account && set.accounts.length > 1 ? `: findings as in account ${set.account}` : ''}`];
  for (const p of set.policies) lines.push(`       policy ${String(p.score).padStart(3)}  ${p.ref} (${p.kind})`);
  if (set.boundary) lines.push(`       capped by the permissions boundary ${set.boundary}`);
  // Findings that add nothing (an administrator's dozens of paths) are counted, not listed: JSON has them all.
  const adding = set.findings.filter((f) => f.points > 0);
  for (const f of adding) lines.push(`       +${String(f.points).padEnd(3)} ${f.rule}${f.constrained ? ' (constrained)' : ''} (${f.tier}) from ${f.from.join(' + ')}`);
  if (adding.length < set.findings.length) lines.push(`       and ${set.findings.length - adding.length} more findings that add nothing to the score`);
  if (set.unresolved.length > 0) lines.push(`       not fully read: ${set.unresolved.join('; ')}`);
  return lines;
}

/** A user or group: its worst assignment, and the path when the set can become something worse in the account. */
function principalLines(p: IdentityCenterPrincipalRisk): string[] {
  const [worst] = p.assignments;
  if (!worst) return [];
  const others = p.assignments.length > 1 ? ` (+${p.assignments.length - 1} more assignments)` : '';
  const head = `  ${String(p.score).padStart(3)}  ${p.kind} ${p.name}: ${worst.permissionSet} in ${worst.account}${others}`;
  if (!worst.reach) return [head];
  return [`${head}, which can become ${worst.reach.node} (${worst.reach.score}, ${worst.reach.tier})`, `       path: ${describePath(worst.reach)}`];
}

/** What `grantops risk` prints for each Identity Center instance: its permission sets, riskiest first. */
export function renderIdentityCenterRiskText(instances: readonly (IdentityCenterRiskReport & { system: string })[], model: RiskModel): string {
  const lines: string[] = [];
  for (const instance of instances) {
    lines.push(`${instance.system}: Identity Center ${instance.instanceArn}, ${instance.permissionSets.length} permission sets (risk model ${instance.model}, ${instance.catalogue})`);
    lines.push('Permission sets:');
    for (const set of instance.permissionSets) lines.push(...permissionSetLines(set));
    if (instance.principals.length > 0) lines.push('Users and groups (by what their assignments let them become):');
    for (const p of instance.principals) lines.push(...principalLines(p));
  }
  if (instances.length > 0) {
    lines.push(`A permission set scores its policies together within its boundary, in the account where that is worst; a policy whose document no account read-out of the run holds counts in the top tier (${model.tiers[0]!.id}) until it can be read.`);
  }
  return lines.join('\n');
}
