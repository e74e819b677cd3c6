import type { AuditEventType, AuditReport, GrantTimeline } from '../audit/audit-report.js';
import { findExpiringGrants } from '../expiry/find-expiring-grants.js';
import { renewalCommand, suggestedAccessMs } from '../expiry/renewal-command.js';
import { attachmentsOf, type InventoryReport } from '../inventory/build-inventory.js';
import { inlineRef } from '../risk/account-principals.js';
import { isLive } from '../plan/plan-iam.js';
import { entitlementKindOf } from '../entitlements/registry.js';
import { identityCenter } from '../systems/identity-center.js';
import { sensitivityOrder, type AccessRepo } from '../model.js';
import type {
  BreakGlassUses,
  AccessCell,
  AccessReport,
  ActivityEvent,
  ActivityKind,
  ActivitySection,
  ExpiringItem,
  PersonRisk,
  ReportPerson,
  ReportResource,
  UnexplainedAccess,
} from './access-report.js';

const DAY_MS = 86_400_000;

/** At most this many activity events are listed; the rest are counted. */
export const ACTIVITY_LIMIT = 200;

export interface AccessReportInput {
  repo: AccessRepo;
  /** One read-out per system whose account was read. */
  inventories: readonly InventoryReport[];
  now: Date;
  /** "Expiring" means ending within this many days. */
  horizonDays: number;
  /** The history, when the access directory is in a git clone; otherwise why there is none. */
  history: { audit: AuditReport; sinceDays: number } | { unavailable: string };
  /** Systems that could not be read, and why. */
  unread?: { system: string; message: string }[];
}

/** Puts the repository's grants next to what the accounts hold, and picks out what people should look at. */
export function buildAccessReport(input: AccessReportInput): AccessReport {
  const { repo, inventories, now, horizonDays } = input;
  const org = repo.org?.value;
  const order = org ? sensitivityOrder(org) : [];
  const rankOf = (level: string) => Math.max(0, order.indexOf(level));
  const horizonMs = horizonDays * DAY_MS;
  const systemsRead = new Set(inventories.map((i) => i.system));

  // One column per thing a resource hands out: one for most, one per account for a permission set in several.
  const resources: ReportResource[] = [...repo.resources.values()]
    .flatMap(({ value }) =>
      entitlementKindOf(value.grants)
        .targetsOf(value)
        .map((target) => ({
          id: value.id,
          system: value.system,
          ...(value.description ? { description: value.description } : {}),
          sensitivity: value.effectiveSensitivity,
          rank: rankOf(value.effectiveSensitivity),
          owners: value.owners,
          provision: value.provision ?? 'auto',
          grants: `${target.kind} ${target.name}`,
          ...(target.account ? { account: target.account } : {}),
        })),
    )
    .sort((a, b) => b.rank - a.rank || a.id.localeCompare(b.id) || (a.account ?? '').localeCompare(b.account ?? ''));
  const columnsOf = new Map<string, ReportResource[]>();
  for (const r of resources) columnsOf.set(r.id, [...(columnsOf.get(r.id) ?? []), r]);

  // What the systems hold, by person and column: a holding counts for every resource handing it out.
  const held = new Set<string>();
  const key = (person: string, resource: string, account?: string) => `${person}\u0000${resource}\u0000${account ?? ''}`;
  const attachments = inventories.flatMap((inventory) => attachmentsOf(inventory).map((a) => ({ system: inventory.system, a })));
  for (const { a } of attachments) if (a.person) for (const r of a.resources) held.add(key(a.person, r, a.account));

  const cells = new Map<string, AccessCell>();
  for (const [file, { value: grant }] of repo.grants) {
    const live = isLive(grant, now);
    const ends = Date.parse(grant.expires);
    for (const column of columnsOf.get(grant.resource) ?? [{ system: undefined, account: undefined }]) {
      const at = key(grant.user, grant.resource, column.account);
      cells.set(at, {
        person: grant.user,
        resource: grant.resource,
        ...(column.account ? { account: column.account } : {}),
        state: !live ? 'expired' : ends - now.getTime() <= horizonMs ? 'expiring' : 'active',
        grant: file,
        reason: grant.reason,
        expires: grant.expires,
        ...(grant.approvalExpires ? { approvalExpires: grant.approvalExpires } : {}),
        ...(column.system !== undefined && systemsRead.has(column.system) ? { inIam: held.has(at) } : {}),
      });
    }
  }
  const unexplained: UnexplainedAccess[] = [];
  for (const { system, a } of attachments) {
    if (a.status === 'granted') continue;
    unexplained.push({
      system,
      iamUser: a.user,
      ...(a.principalType ? { principalType: a.principalType } : {}),
      ...(a.person ? { person: a.person } : {}),
      kind: a.kind,
      target: a.target,
      ...(a.account ? { account: a.account } : {}),
      status: a.status,
      resources: a.resources,
      grants: a.grants,
    });
    if (a.status !== 'unmanaged' || !a.person) continue;
    for (const r of a.resources) {
      const at = key(a.person, r, a.account);
      if (!cells.has(at)) cells.set(at, { person: a.person, resource: r, ...(a.account ? { account: a.account } : {}), state: 'unmanaged', inIam: true });
    }
  }

  const withCells = new Set([...cells.values()].map((c) => c.person));
  const readsIdentityCenter = inventories.some((i) => i.identityCenter);
  const people: ReportPerson[] = [...withCells]
    .map((login): ReportPerson => {
      const person = repo.people.get(login)?.value;
      const identityCenterUser = readsIdentityCenter && person ? identityCenter.principalOf(person) : undefined;
      return {
        login,
        name: person?.name ?? login,
        ...(person?.manager ? { manager: person.manager } : {}),
        ...(person?.aws?.user ? { iamUser: person.aws.user } : {}),
        ...(identityCenterUser && 'name' in identityCenterUser ? { identityCenterUser: identityCenterUser.name } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.login.localeCompare(b.login));

  return {
    org: org?.org ?? repo.dir,
    at: now.toISOString(),
    horizonDays,
    levels: order.map((name, rank) => ({ name, rank })),
    systems: [...systemsRead],
    ...(input.unread && input.unread.length > 0 ? { unread: input.unread } : {}),
    resources,
    people,
    // Nothing at all: no grant, and no attachment in the accounts read (unexplained ones included).
    peopleWithoutAccess: [...repo.people.keys()].filter((login) => !withCells.has(login) && !unexplained.some((u) => u.person === login)).length,
    cells: [...cells.values()].sort((a, b) => a.person.localeCompare(b.person) || a.resource.localeCompare(b.resource) || (a.account ?? '').localeCompare(b.account ?? '')),
    expiring: findEndingSoon(repo, now, horizonMs),
    risk: scorePeople(repo, inventories),
    unexplained,
    recommendations: inventories.flatMap((i) => i.recommendations),
    activity: summariseActivity(input.history, now),
  };
}

/** Access ending within the horizon, and approvals ending within it (after which a renewal needs review again). */
function findEndingSoon(repo: AccessRepo, now: Date, horizonMs: number): ExpiringItem[] {
  const inDays = (at: string) => Math.floor((Date.parse(at) - now.getTime()) / DAY_MS);
  const org = repo.org?.value;
  const items: ExpiringItem[] = findExpiringGrants(repo, now, horizonMs).map((g) => ({
    what: 'access',
    person: g.user,
    resource: g.resource,
    grant: g.file,
    at: g.expires,
    inDays: inDays(g.expires),
    renewable: g.renewable,
    ...(org ? { renewal: renewalCommand(g, suggestedAccessMs(org, repo.resources.get(g.resource)?.value), g.renewable ? 'renewal' : 'new') } : {}),
  }));
  for (const [file, { value: grant }] of repo.grants) {
    if (!grant.approvalExpires) continue;
    const at = Date.parse(grant.approvalExpires);
    if (at > now.getTime() && at <= now.getTime() + horizonMs) {
      items.push({ what: 'approval', person: grant.user, resource: grant.resource, grant: file, at: grant.approvalExpires, inDays: inDays(grant.approvalExpires) });
    }
  }
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.grant.localeCompare(b.grant) || a.what.localeCompare(b.what));
}

/** Each IAM user's principal score, with the finding categories of the policies that reach it. */
function scorePeople(repo: AccessRepo, inventories: readonly InventoryReport[]): PersonRisk[] {
  const out: PersonRisk[] = [];
  for (const inventory of inventories) {
    const categoriesOf = new Map(inventory.policies.map((p) => [p.ref, p.categories]));
    const groupPolicies = new Map(inventory.groups.map((g) => [g.name, g.policies]));
    for (const user of inventory.users) {
      const refs = user.attachments.flatMap((a) =>
        a.kind === 'policy' ? [a.target] : a.kind === 'inline' ? [inlineRef('user', user.name, a.target)] : a.kind === 'group' ? (groupPolicies.get(a.target) ?? []) : [],
      );
      const counts = new Map<string, number>();
      for (const ref of refs) for (const c of categoriesOf.get(ref) ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
      const person = user.person ? repo.people.get(user.person)?.value : undefined;
      out.push({
        ...(user.person ? { person: user.person } : {}),
        ...(person ? { name: person.name } : {}),
        system: inventory.system,
        iamUser: user.name,
        score: user.risk,
        ...(user.reach && { reach: user.reach }),
        categories: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
        holds: user.attachments.length,
      });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.iamUser.localeCompare(b.iamUser));
}

const ACTIVITY_KINDS: Partial<Record<AuditEventType, ActivityKind>> = {
  requested: 'request',
  approved: 'approval',
  merged: 'approval',
  pushed: 'unreviewed',
  renewed: 'approval',
  revoked: 'revocation',
  deleted: 'revocation',
  expired: 'revocation',
  deprovisioned: 'revocation',
  provisioned: 'provisioning',
  'break-glass': 'break-glass',
  ratified: 'approval',
};

/** Each person's break-glass uses over the whole history read, most first: repeated emergencies stand out. */
function countBreakGlassUses(timelines: readonly GrantTimeline[]): BreakGlassUses[] {
  const byPerson = new Map<string, BreakGlassUses>();
  for (const timeline of timelines) {
    const uses = timeline.events.filter((e) => e.type === 'break-glass');
    if (uses.length === 0) continue;
    const entry = byPerson.get(timeline.user) ?? { person: timeline.user, uses: 0, last: '', ratified: 0 };
    entry.uses += uses.length;
    // A ratification follows its use in the same timeline; counted per use it ratified.
    entry.ratified += Math.min(uses.length, new Set(timeline.events.filter((e) => e.type === 'ratified').map((e) => e.commit)).size);
    for (const u of uses) if (u.at > entry.last) entry.last = u.at;
    byPerson.set(timeline.user, entry);
  }
  return [...byPerson.values()].sort((a, b) => b.uses - a.uses || a.person.localeCompare(b.person));
}

function summariseActivity(history: AccessReportInput['history'], now: Date): ActivitySection {
  if ('unavailable' in history) return { available: false, why: history.unavailable };
  const { audit, sinceDays } = history;
  const from = now.getTime() - sinceDays * DAY_MS;
  const events: ActivityEvent[] = [];
  for (const timeline of audit.grants) {
    for (const e of timeline.events) {
      const kind = ACTIVITY_KINDS[e.type];
      const at = Date.parse(e.at);
      if (!kind || at < from || at > now.getTime()) continue;
      events.push({
        kind,
        type: e.type,
        at: e.at,
        person: timeline.user,
        resource: timeline.resource,
        grant: timeline.file,
        ...(e.by !== undefined ? { by: e.by } : {}),
        ...(e.role !== undefined ? { role: e.role } : {}),
        ...(e.commit !== undefined ? { commit: e.commit } : {}),
        ...(e.pr !== undefined ? { pr: e.pr } : {}),
        details: e.details,
      });
    }
  }
  events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.grant.localeCompare(b.grant));
  return {
    available: true,
    breakGlass: countBreakGlassUses(audit.grants),
    sinceDays,
    events: events.slice(0, ACTIVITY_LIMIT),
    truncated: Math.max(0, events.length - ACTIVITY_LIMIT),
    ...(audit.coverage.notesMissing ? { notesMissing: audit.coverage.notesMissing } : {}),
    ...(audit.coverage.shallow ? { shallow: audit.coverage.shallow.message } : {}),
  };
}
