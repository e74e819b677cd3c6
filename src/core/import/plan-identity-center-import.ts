import { stringify } from 'yaml';
import { formatDuration, parseDuration } from '../duration.js';
import { describeAttachment, explainAccess, type UserAttachment } from '../inventory/explain-access.js';
import type { PermissionSetRisk } from '../inventory/read-outs/identity-center-read-out.js';
import type { PermissionSetDetail } from '../identity-center/identity-center-state.js';
import type { ResourceFile } from '../model.js';
import { resolveRiskSettings, suggestSensitivity } from '../risk/risk-settings.js';
import { identityCenter } from '../systems/identity-center.js';
import { resourceIdFromName, uniqueName } from './import-names.js';
import { importedGrant, renderResource, type ImportInput, type ImportPlan } from './plan-import.js';

export interface IdentityCenterImportInput extends ImportInput {
  /** Scores a permission set like a policy, to suggest a sensitivity; without it the most sensitive level is set. */
  scorePermissionSet?: (set: PermissionSetDetail) => PermissionSetRisk;
}

const sameAccounts = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Adopts an Identity Center instance's user assignments into an access directory that already names the
 * system and its people. Each person's unmanaged assignments of one permission set become one grant of a
 * resource `{ permissionSet, accounts }` for exactly the accounts they hold it in: the widest account set of
 * a permission set gets the plain name, any narrower one its own resource, so adopting never widens
 * anyone's access, and `plan` afterwards has nothing to do. A resource of the repository with the same
 * permission set and accounts is reused. Users nobody in people.yaml is (by `aws.identityCenterUser`, else
 * email) and group assignments are listed, never invented or adopted. Pure: returns the files.
 */
export function planIdentityCenterImport(input: IdentityCenterImportInput): ImportPlan {
  const { snapshot, systemId, dir, now } = input;
  const plan: ImportPlan = { files: [], people: [], resources: [], grants: [], skipped: [], review: [] };
  const repo = input.existing?.repo;
  const org = repo?.org?.value;
  const state = snapshot.IdentityCenter;
  if (!repo || !org || !state) throw new Error(`importing Identity Center needs an access directory whose grantops.yaml names the system "${systemId}" and whose people.yaml names its people`);
  const day = now.toISOString().slice(0, 10);
  const attachments = explainAccess(repo, systemId, identityCenter, snapshot, now);

  // Who holds which permission set where, for the assignments to adopt; the rest is said and left alone.
  const adopt = new Map<string, Map<string, UserAttachment[]>>();
  for (const a of attachments) {
    if (a.status === 'granted') continue;
    const what = describeAttachment(a);
    if (a.principalType === 'group') {
      plan.skipped.push({ subject: `group/${a.user}`, reason: `${what}: grantops grants to people, not groups; give each member who needs it a grant, then remove the group assignment` });
    } else if (!a.person) {
      plan.skipped.push({ subject: `user/${a.user}`, reason: `${what}: nobody in people.yaml is this Identity Center user (by aws.identityCenterUser, else email); add the person, or remove the assignment` });
    } else if (a.status === 'expired-grant') {
      plan.skipped.push({ subject: `user/${a.user}`, reason: `${what}: only ended grants name it (${a.grants.join(', ')}); the next expire or apply removes it, or renew the grant` });
    } else {
      const byPermissionSet = adopt.get(a.person) ?? new Map<string, UserAttachment[]>();
      byPermissionSet.set(a.target, [...(byPermissionSet.get(a.target) ?? []), a]);
      adopt.set(a.person, byPermissionSet);
    }
  }
  for (const login of [...adopt.keys()].sort()) {
    const user = adopt.get(login)!.values().next().value![0]!.user;
    plan.people.push({ login, iamUser: user, created: false });
  }

  // Resources: one per permission set and set of accounts held, widest first (it gets the plain name).
  const settings = resolveRiskSettings(org);
  const levels = Object.keys(org.sensitivity);
  const ids = new Set([...repo.resources.keys()].map((id) => id.toLowerCase()));
  const existing = [...repo.resources.values()].map((r) => r.value).filter((r) => r.system === systemId && 'permissionSet' in r.grants);
  const accountSets = new Map<string, string[][]>();
  for (const byPermissionSet of adopt.values()) {
    for (const [name, held] of byPermissionSet) {
      const accounts = [...new Set(held.map((a) => a.account!))].sort();
      const sets = accountSets.get(name) ?? [];
      if (!sets.some((s) => sameAccounts(s, accounts))) sets.push(accounts);
      accountSets.set(name, sets);
    }
  }
  const resourceFor = new Map<string, { resource: ResourceFile; sensitivity: string }>();
  const resourceKey = (name: string, accounts: readonly string[]) => `${name}\u0000${accounts.join(',')}`;
  for (const name of [...accountSets.keys()].sort()) {
    const sets = accountSets.get(name)!.sort((a, b) => b.length - a.length || a.join().localeCompare(b.join()));
    const set = state.PermissionSets.find((p) => p.Name === name)!;
    const risk = input.scorePermissionSet?.(set);
    for (const [i, accounts] of sets.entries()) {
      const known = existing.find((r) => 'permissionSet' in r.grants && r.grants.permissionSet === name && sameAccounts(r.grants.accounts, accounts));
      if (known) {
        const sensitivity = repo.resources.get(known.id)!.value.effectiveSensitivity;
        resourceFor.set(resourceKey(name, accounts), { resource: known, sensitivity });
        plan.resources.push({ id: known.id, target: `${name}@${accounts.join(',')}`, sensitivity, score: risk?.score ?? 0, created: false });
        continue;
      }
      const id = uniqueName(i === 0 ? resourceIdFromName(name) : `${resourceIdFromName(name)}-${accounts.join('-')}`, ids);
      const sensitivity = (risk ? suggestSensitivity(settings, risk.score) : undefined) ?? levels[levels.length - 1]!;
      const resource: ResourceFile = {
        id,
        system: systemId,
        description: `Permission set ${name} in ${accounts.length === 1 ? `account ${accounts[0]}` : `accounts ${accounts.join(', ')}`} (imported)`,
        sensitivity,
        owners: [...org.owners],
        provision: 'auto',
        grants: { permissionSet: name, accounts },
      };
      resourceFor.set(resourceKey(name, accounts), { resource, sensitivity });
      plan.resources.push({ id, target: `${name}@${accounts.join(',')}`, sensitivity, score: risk?.score ?? 0, created: true });
      const why = risk ? `suggested from its risk score, ${risk.score}/100` : 'the most sensitive level, as nothing scored the permission set: lower it once reviewed';
      plan.files.push({
        path: `${dir}/resources/${systemId}/${id}.yaml`,
        content: `# Imported from Identity Center instance ${state.Instance.InstanceArn} on ${day}. Review: the sensitivity (${why}) and the owners.\n${renderResource(resource)}`,
      });
      plan.review.push(`resources/${systemId}/${id}.yaml: sensitivity ${sensitivity}${risk ? ` (risk ${risk.score}/100)` : ' (not scored)'} and owners`);
    }
  }

  // Grants: one per person and permission set, of the resource for exactly the accounts they hold it in.
  const wanted = input.expires === undefined ? undefined : parseDuration(input.expires);
  for (const login of [...adopt.keys()].sort()) {
    for (const [name, held] of [...adopt.get(login)!].sort(([a], [b]) => a.localeCompare(b))) {
      const accounts = [...new Set(held.map((a) => a.account!))].sort();
      const { resource, sensitivity } = resourceFor.get(resourceKey(name, accounts))!;
      const file = `${dir}/grants/${login}/${resource.id}.yaml`;
      if (repo.grants.has(file)) {
        plan.skipped.push({ subject: `user/${held[0]!.user}`, reason: `permission set ${name} in ${accounts.join(', ')}: ${file} exists and is not live; renew it rather than import over it` });
        continue;
      }
      const { grant, lasts } = importedGrant(login, resource, org.sensitivity[sensitivity]!, now, wanted);
      plan.files.push({ path: file, content: `# Imported: Identity Center user ${held[0]!.user} was assigned ${name} in ${accounts.join(', ')} before grantops managed it (${formatDuration(lasts)} from ${day}).\n${stringify(grant, { lineWidth: 0 })}` });
      plan.grants.push({ file, user: login, resource: resource.id, expires: grant.expires });
    }
  }
  return plan;
}
