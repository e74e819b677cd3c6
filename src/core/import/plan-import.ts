import { Document, isMap, isSeq, parseDocument, stringify } from 'yaml';
import { formatDuration, parseDuration } from '../duration.js';
import type { AccountSnapshot, UserDetail } from '../iam/account-snapshot.js';
import type { AccessRepo, GrantFile, OrgConfig, Person, ResourceFile, SensitivityLevel, SystemConfig } from '../model.js';
import { resourceTarget } from '../plan/resource-target.js';
import type { RepoFile } from '../repo-file.js';
import { scoreResource } from '../risk/resource-risk.js';
import { resolveRiskSettings, suggestSensitivity } from '../risk/risk-settings.js';
import type { RiskScorer } from '../risk/risk-scorer.js';
import { AccountPrincipals } from '../risk/account-principals.js';
import { loginFromIamUser, resourceIdFromName, uniqueName } from './import-names.js';

/** The levels a bootstrapped organisation starts with (those of the example organisation). */
export const BOOTSTRAP_SENSITIVITY: Record<string, SensitivityLevel> = {
  none: { approvers: [], maxAccess: '90d', approvalTtl: '365d' },
  low: { approvers: [], notify: ['owner'], maxAccess: '30d', approvalTtl: '180d' },
  medium: { approvers: ['manager'], maxAccess: '14d', approvalTtl: '90d' },
  high: { approvers: ['manager', 'owner'], maxAccess: '7d', approvalTtl: '60d' },
  critical: { approvers: ['manager', 'owner', 'executive'], maxAccess: '1d', approvalTtl: '30d' },
};

export interface ImportInput {
  snapshot: AccountSnapshot;
  /** The system id the account gets (or has) in grantops.yaml. */
  systemId: string;
  region?: string;
  /** The access directory, repository-relative (e.g. `access`). */
  dir: string;
  /** What the access directory holds already, with the raw text of grantops.yaml and people.yaml to extend. */
  existing?: { repo: AccessRepo; text: Map<string, string> };
  scorer: RiskScorer;
  now: Date;
  /** How long imported grants last; capped by each resource's maxAccess (default: that maxAccess). */
  expires?: string;
}

export interface ImportPlan {
  /** Files to write (new, or grantops.yaml / people.yaml extended). */
  files: RepoFile[];
  people: { login: string; iamUser: string; created: boolean }[];
  resources: { id: string; target: string; sensitivity: string; score: number; created: boolean }[];
  grants: { file: string; user: string; resource: string; expires: string }[];
  /** What import left alone, and why. */
  skipped: { subject: string; reason: string }[];
  /** What a person has to fill in or review before this is the truth. */
  review: string[];
}

const flow = (value: unknown) => stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();

/** A resource file as people write them: `owners` and `grants` on one line each. */
export function renderResource(resource: ResourceFile): string {
  const doc = new Document(resource);
  for (const key of ['owners', 'grants']) {
    const node = doc.get(key, true);
    if (isMap(node) || isSeq(node)) node.flow = true;
  }
  return doc.toString({ lineWidth: 0 });
}

function accountIdOf(snapshot: AccountSnapshot): string | undefined {
  const arn = [...snapshot.UserDetailList, ...snapshot.GroupDetailList, ...snapshot.RoleDetailList].map((e) => e.Arn).find(Boolean);
  return arn?.split(':')[4] || undefined;
}

/**
 * Adopts an account into the access repository: a person per IAM user, a resource per managed policy
 * attached to a user and per group with members, and a grant per such attachment (reason `imported`,
 * expiring within the resource's maxAccess), so that `plan` against the same account has nothing to do.
 * What the grant model cannot hold (inline user policies, roles) is listed as skipped. Pure: returns the
 * files; the caller validates and writes them.
 */
export function planImport(input: ImportInput): ImportPlan {
  const { snapshot, systemId, dir, scorer, now } = input;
  const plan: ImportPlan = { files: [], people: [], resources: [], grants: [], skipped: [], review: [] };
  const repo = input.existing?.repo;
  const day = now.toISOString().slice(0, 10);
  const accountId = accountIdOf(snapshot) ?? accountIdOfSystem(repo?.org?.value.systems[systemId]) ?? '000000000000';
  const principals = new AccountPrincipals(scorer, snapshot);

  // People: reuse whoever already maps to the IAM user; otherwise a placeholder login.
  const logins = new Set([...(repo?.people.keys() ?? [])].map((l) => l.toLowerCase()));
  const byIamUser = new Map([...(repo?.people ?? [])].filter(([, p]) => p.value.aws).map(([login, p]) => [p.value.aws!.user, login]));
  const newPeople: Person[] = [];
  for (const user of snapshot.UserDetailList) {
    const existing = byIamUser.get(user.UserName);
    if (existing) {
      plan.people.push({ login: existing, iamUser: user.UserName, created: false });
      continue;
    }
    const login = uniqueName(loginFromIamUser(user.UserName), logins, 39);
    newPeople.push({ login, name: user.UserName, aws: { user: user.UserName } });
    byIamUser.set(user.UserName, login);
    plan.people.push({ login, iamUser: user.UserName, created: true });
    plan.review.push(`people.yaml: "${login}" stands for IAM user ${user.UserName}: put the person's GitHub login, name and manager`);
  }

  // The organisation: the existing one, or a new one owned by the administrators it finds.
  let org: OrgConfig;
  if (repo?.org) {
    org = repo.org.value;
  } else {
    const admins = snapshot.UserDetailList.filter((u) => scorer.isAdministrator(principals.user(u.UserName)!.policies.map((p) => p.permissions))).map((u) => byIamUser.get(u.UserName)!);
    let owner = admins.sort()[0] ?? newPeople[0]?.login;
    if (!owner) {
      owner = 'owner';
      newPeople.push({ login: owner, name: 'Organisation owner (to be filled in)' });
    }
    const at = newPeople.findIndex((p) => p.login === owner);
    if (at >= 0) newPeople[at] = { login: owner, name: newPeople[at]!.name, roles: ['executive'], aws: newPeople[at]!.aws };
    org = { org: `AWS account ${accountId}`, owners: [owner], sensitivity: BOOTSTRAP_SENSITIVITY, expiry: { warnBefore: '3d' }, systems: {} };
    plan.review.push(`grantops.yaml: the organisation's name, and its owner "${owner}" (${admins.length > 0 ? 'an administrator of the account' : 'the first user found'}; also given the executive role)`);
  }
  const settings = resolveRiskSettings(org);
  const levelOf = (name: string) => org.sensitivity[name]!;

  // Resources: one per user-attached managed policy and per group with members, unless one exists.
  const ids = new Set([...(repo?.resources.keys() ?? [])].map((id) => id.toLowerCase()));
  const existingByTarget = new Map<string, string>();
  for (const { value } of repo?.resources.values() ?? []) {
    if (value.system !== systemId) continue;
    const t = resourceTarget(value.id, value.grants);
    existingByTarget.set(`${t.kind}\u0000${t.name}`, value.id);
  }
  const resourceFor = new Map<string, ResourceFile>();
  const sensitivityOf = new Map<string, string>();
  const ensureResource = (kind: 'policy' | 'group', target: string, name: string) => {
    const key = `${kind}\u0000${target}`;
    const known = existingByTarget.get(key);
    if (known) {
      const resource = repo!.resources.get(known)!.value;
      if (!resourceFor.has(key)) {
        resourceFor.set(key, resource);
        sensitivityOf.set(resource.id, resource.effectiveSensitivity);
        plan.resources.push({ id: resource.id, target, sensitivity: resource.effectiveSensitivity, score: scoreResource(scorer, resource, snapshot, principals).score, created: false });
      }
      return resourceFor.get(key)!;
    }
    if (resourceFor.has(key)) return resourceFor.get(key)!;
    const id = uniqueName(resourceIdFromName(name), ids);
    const grants = kind === 'policy' ? { managedPolicy: target } : { group: target };
    const draft: ResourceFile = { id, system: systemId, owners: [...org.owners], provision: 'auto', grants };
    const risk = scoreResource(scorer, draft, snapshot, principals);
    const sensitivity = suggestSensitivity(settings, risk.score) ?? Object.keys(org.sensitivity)[0]!;
    const resource: ResourceFile = { id, system: systemId, description: `${kind === 'policy' ? 'Managed policy' : 'Group'} ${name} (imported)`, sensitivity, owners: [...org.owners], provision: 'auto', grants };
    resourceFor.set(key, resource);
    sensitivityOf.set(id, sensitivity);
    plan.resources.push({ id, target, sensitivity, score: risk.score, created: true });
    const unresolved = risk.unresolved.length > 0 ? ` Not scored: ${risk.unresolved.join('; ')}.` : '';
    plan.files.push({
      path: `${dir}/resources/${systemId}/${id}.yaml`,
      content: `# Imported from AWS account ${accountId} on ${day}. Review: the sensitivity (suggested from its risk score, ${risk.score}/100${risk.privilegeEscalation ? ', a privilege-escalation path' : ''}) and the owners.${unresolved}\n${renderResource(resource)}`,
    });
    plan.review.push(`resources/${systemId}/${id}.yaml: sensitivity ${sensitivity} (risk ${risk.score}/100) and owners`);
    return resource;
  };

  // Grants: one per attachment of a user to such a resource.
  const existingGrants = new Set([...(repo?.grants.values() ?? [])].map((g) => `${g.value.user}\u0000${g.value.resource}`));
  const wanted = input.expires === undefined ? undefined : parseDuration(input.expires);
  const addGrant = (user: UserDetail, resource: ResourceFile, held: string) => {
    const login = byIamUser.get(user.UserName)!;
    if (existingGrants.has(`${login}\u0000${resource.id}`)) return;
    existingGrants.add(`${login}\u0000${resource.id}`);
    const { grant, lasts } = importedGrant(login, resource, levelOf(sensitivityOf.get(resource.id)!), now, wanted);
    const file = `${dir}/grants/${login}/${resource.id}.yaml`;
    plan.files.push({ path: file, content: `# Imported: IAM user ${user.UserName} held ${held} before grantops managed it (${formatDuration(lasts)} from ${day}).\n${stringify(grant, { lineWidth: 0 })}` });
    plan.grants.push({ file, user: login, resource: resource.id, expires: grant.expires });
  };

  const groups = new Map(snapshot.GroupDetailList.map((g) => [g.GroupName, g]));
  for (const user of snapshot.UserDetailList) {
    for (const policy of user.AttachedManagedPolicies ?? []) addGrant(user, ensureResource('policy', policy.PolicyArn, policy.PolicyName), `managed policy ${policy.PolicyArn}`);
    for (const group of user.GroupList ?? []) {
      if (!groups.has(group)) {
        plan.skipped.push({ subject: `user/${user.UserName}`, reason: `member of group ${group}, which the account read-out does not list` });
        continue;
      }
      addGrant(user, ensureResource('group', group, group), `group ${group}`);
    }
    for (const inline of user.UserPolicyList ?? []) {
      if (inline.PolicyName.startsWith('grantops-')) continue;
      plan.skipped.push({ subject: `user/${user.UserName}`, reason: `inline policy ${inline.PolicyName}: grantops names its inline policies grantops-<resource>; move it into a resource with an inlinePolicy (then a grant), or keep managing it outside grantops` });
    }
  }
  for (const role of snapshot.RoleDetailList) {
    plan.skipped.push({ subject: `role/${role.RoleName}`, reason: 'roles are not granted to people; they stay as they are' });
  }

  plan.files.unshift(...rulesFiles(input, org, accountId, newPeople, day));
  return plan;
}

/**
 * The grant that adopts access someone already holds: reason `imported`, lasting the resource's maxAccess
 * (or less, when asked), and renewable without review for the level's approvalTtl when that outlasts it.
 */
export function importedGrant(login: string, resource: Pick<ResourceFile, 'id' | 'maxAccess'>, level: SensitivityLevel, now: Date, wantedMs: number | undefined): { grant: GrantFile; lasts: number } {
  const maxAccess = Math.min(parseDuration(level.maxAccess), resource.maxAccess ? parseDuration(resource.maxAccess) : Infinity);
  const lasts = Math.min(maxAccess, wantedMs ?? maxAccess);
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString().replace('.000Z', 'Z');
  const ttl = parseDuration(level.approvalTtl);
  return { grant: { user: login, resource: resource.id, reason: 'imported', expires: at(lasts), ...(ttl >= lasts ? { approvalExpires: at(ttl) } : {}), status: 'active' }, lasts };
}

/** grantops.yaml and people.yaml: written new, or extended in place (comments and order kept). */
function rulesFiles(input: ImportInput, org: OrgConfig, accountId: string, newPeople: Person[], day: string): RepoFile[] {
  const { dir, systemId, existing } = input;
  const files: RepoFile[] = [];
  const system = { type: 'aws' as const, accountId, ...(input.region ? { region: input.region } : {}) };
  const orgPath = `${dir}/grantops.yaml`;
  const orgText = existing?.text.get(orgPath);
  if (orgText === undefined) {
    const doc = new Document({ ...org, systems: { [systemId]: system } });
    for (const level of Object.keys(org.sensitivity)) {
      const node = doc.getIn(['sensitivity', level], true);
      if (isMap(node)) node.flow = true;
    }
    const systemNode = doc.getIn(['systems', systemId], true);
    if (isMap(systemNode)) systemNode.flow = true;
    doc.commentBefore = ` Bootstrapped by grantops import from AWS account ${accountId} on ${day}: review the name, owners and levels.\n Levels are ordered from least to most sensitive.`;
    files.push({ path: orgPath, content: doc.toString({ lineWidth: 0, flowCollectionPadding: true }) });
  } else if (!existing?.repo.org?.value.systems[systemId]) {
    const doc = parseDocument(orgText);
    doc.setIn(['systems', systemId], doc.createNode(system, { flow: true }));
    files.push({ path: orgPath, content: doc.toString({ lineWidth: 0 }) });
  }

  if (newPeople.length > 0) {
    const peoplePath = `${dir}/people.yaml`;
    const lines = newPeople.map((p) => `- ${flow(p)}  # placeholder: put the GitHub login, name and manager`);
    const header = `# Imported from AWS account ${accountId} on ${day}: one person per IAM user. Each login is a placeholder.\n`;
    const before = existing?.text.get(peoplePath);
    const body = before === undefined || before.trim() === '' || /^\s*\[\s*\]\s*$/m.test(before) ? header : `${before.replace(/\n*$/, '\n')}${header}`;
    files.push({ path: peoplePath, content: `${body}${lines.join('\n')}\n` });
    if (before !== undefined) {
      // people.yaml must stay a sequence for the append to hold; a document that is not one is not guessed at.
      const doc = parseDocument(before);
      if (before.trim() !== '' && !isSeq(doc.contents)) throw new Error(`${peoplePath} is not a list of people; add the imported people by hand`);
    }
  }
  return files;
}

function accountIdOfSystem(system: SystemConfig | undefined): string | undefined {
  return system && 'accountId' in system ? system.accountId : undefined;
}
