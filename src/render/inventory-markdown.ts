import type { InventoryReport } from '../core/inventory/build-inventory.js';
import { describeAttachment, describeHolder, type UserAttachment } from '../core/inventory/explain-access.js';
import type { InventoryIdentityCenter, InventoryPermissionSet } from '../core/inventory/read-outs/identity-center-read-out.js';

const cell = (text: string | number | undefined) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: (string | number | undefined)[]) => `| ${cells.map(cell).join(' | ')} |`;
const yesNo = (v: boolean | undefined) => (v === undefined ? '?' : v ? 'yes' : 'no');
const shortArn = (arn: string) => arn.replace(/^arn:aws[a-z-]*:iam::(aws|\d+):policy\//, (_, owner: string) => (owner === 'aws' ? 'aws/' : ''));

function attachmentText(a: UserAttachment): string {
  const what = a.kind === 'policy' ? shortArn(a.target) : a.kind === 'inline' ? `inline ${a.target}` : a.kind === 'permission-set' ? `${a.target}@${a.account}` : describeAttachment(a);
  if (a.status === 'granted') return `${what} (granted: ${a.grants.join(', ')})`;
  if (a.status === 'expired-grant') return `${what} (grant expired: ${a.grants.join(', ')})`;
  return `${what} (**unmanaged**)`;
}

/** What `grantops inventory --format md` prints: a report a person reads top to bottom, or a job summary. */
export function renderInventoryMarkdown(reports: readonly InventoryReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`# ${r.identityCenter ? 'Identity Center' : 'IAM'} inventory: ${r.system}`, '', `Read at ${r.at}; risk model ${r.model} (${r.catalogue}).`, '');
    out.push(`## Recommendations (${r.recommendations.length})`, '');
    if (r.recommendations.length === 0) out.push('Nothing to recommend.', '');
    else out.push(row(['rule', 'subject', 'why', 'suggested action']), row(['---', '---', '---', '---']), ...r.recommendations.map((x) => row([x.rule, x.subject, x.reason, x.action])), '');
    out.push(`## Unmanaged access (${r.unmanaged.length})`, '', 'Attachments no grant in the repository explains: they never expire and no approval is on record.', '');
    if (r.unmanaged.length > 0) out.push(...r.unmanaged.map((a) => `- ${describeHolder(a)}: ${attachmentText(a)}`), '');
    if (r.identityCenter) {
      out.push(...renderIdentityCenter(r.identityCenter), '');
      continue;
    }
    out.push(`## Users (${r.users.length})`, '', row(['user', 'person', 'risk', 'console', 'MFA', 'access keys', 'holds', 'can become']), row(['---', '---', '---:', '---', '---', '---', '---', '---']));
    for (const u of r.users) {
      const keys = u.accessKeys.map((k) => `${k.id} ${k.status.toLowerCase()}, ${k.ageDays ?? '?'} d old, last used ${k.lastUsed ?? 'never'}`).join('; ') || 'none';
      out.push(row([u.name, u.person ?? '—', u.risk, yesNo(u.console), yesNo(u.mfa), keys, u.attachments.map(attachmentText).join('; ') || 'nothing', u.reach ?? '—']));
    }
    out.push('', `## Groups (${r.groups.length})`, '', row(['group', 'risk', 'members', 'policies', 'resource']), row(['---', '---:', '---', '---', '---']));
    out.push(...r.groups.map((g) => row([g.name, g.risk, g.members.join(', ') || '—', g.policies.map(shortArn).join(', ') || '—', g.resources.join(', ') || 'none (unmanaged)'])));
    out.push('', `## Roles (${r.roles.length})`, '', row(['role', 'risk', 'policies', 'last used', 'can become']), row(['---', '---:', '---', '---', '---']));
    out.push(...r.roles.map((x) => row([x.name, x.risk, x.policies.map(shortArn).join(', ') || '—', x.lastUsed ?? 'not within tracking', x.reach ?? '—'])));
    out.push('', `## Policies (${r.policies.length})`, '', row(['policy', 'risk', 'findings', 'attached to']), row(['---', '---:', '---', '---']));
    out.push(...r.policies.map((p) => row([p.kind === 'inline' ? p.ref : shortArn(p.ref), p.risk, p.categories.join(', ') || '—', p.attachedTo.join(', ') || 'not attached'])));
    if (r.resources.length > 0) {
      out.push('', `## Resources of the repository (${r.resources.length})`, '', row(['resource', 'risk', 'services', 'note']), row(['---', '---:', '---', '---']));
      out.push(...r.resources.map((x) => row([x.resource, x.score, x.services.join(', '), x.unresolved.join('; ') || (x.privilegeEscalation ? 'privilege escalation' : '')])));
    }
    out.push('');
  }
  return out.join('\n');
}

function permissionSetContents(p: InventoryPermissionSet): string {
  const parts = [
    ...p.awsManagedPolicies.map(shortArn),
    ...p.customerManagedPolicies.map((name) => `customer-managed ${name}`),
    ...(p.inlinePolicy ? ['inline policy'] : []),
    ...(p.permissionsBoundary ? [`boundary ${shortArn(p.permissionsBoundary)}`] : []),
  ];
  return parts.join(', ') || 'nothing';
}

/** An Identity Center instance: users and groups with their assignments, then the permission sets and what they contain. */
function renderIdentityCenter(ic: InventoryIdentityCenter): string[] {
  const assignments = (list: UserAttachment[]) => list.map(attachmentText).join('; ') || 'nothing';
  const out = [`Instance ${ic.instanceArn} (identity store ${ic.identityStoreId}).`, ''];
  out.push(`## Users (${ic.users.length})`, '', row(['user', 'person', 'assignments']), row(['---', '---', '---']));
  out.push(...ic.users.map((u) => row([u.displayName ? `${u.name} (${u.displayName})` : u.name, u.person ?? '— (not in people.yaml)', assignments(u.assignments)])));
  out.push('', `## Groups (${ic.groups.length})`, '', 'grantops grants to people; what a group is assigned is read out and never changed.', '', row(['group', 'assignments']), row(['---', '---']));
  out.push(...ic.groups.map((g) => row([g.name, assignments(g.assignments)])));
  const scored = ic.permissionSets.some((p) => p.risk);
  out.push('', `## Permission sets (${ic.permissionSets.length})`, '', row(['permission set', ...(scored ? ['risk'] : []), 'contains', 'session', 'assigned in', 'assignments', 'resource']), row(['---', ...(scored ? ['---:'] : []), '---', '---', '---', '---:', '---']));
  out.push(
    ...ic.permissionSets.map((p) =>
      row([p.name, ...(scored ? [p.risk ? `${p.risk.score}${p.risk.categories.length > 0 ? ` (${p.risk.categories.join(', ')})` : ''}` : '?'] : []), permissionSetContents(p), p.sessionDuration ?? '—', p.accounts.join(', ') || 'nowhere', p.assignments, p.resources.join(', ') || 'none (unmanaged)']),
    ),
  );
  return out;
}
