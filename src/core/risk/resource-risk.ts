import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { ResourceFile } from '../model.js';
import { AccountPrincipals } from './account-principals.js';
import type { PolicyPermissions } from './policy-permissions.js';
import type { RiskReport, RiskScorer } from './risk-scorer.js';

/** What a resource's grant hands out, as permission sets. */
export interface ResourcePermissions {
  policies: PolicyPermissions[];
  /** Why part (or all) of it could not be read: its policy or group is not in the account read-out. */
  unresolved: string[];
}

export interface ResourceRisk extends RiskReport {
  resource: string;
  /** Service prefixes it allows some action of (what "using the grant" means for usage tracking). */
  services: string[];
  /** Some finding is a privilege escalation. */
  privilegeEscalation: boolean;
  unresolved: string[];
}

/**
 * An inline policy is scored from the resource file alone; a managed policy or a group needs the account
 * (its document, its policies). Without the account, or when the account lacks them, `unresolved` says so.
 */
export function resourcePermissions(scorer: RiskScorer, resource: ResourceFile, snapshot: AccountSnapshot | undefined, principals?: AccountPrincipals): ResourcePermissions {
  const grants = resource.grants;
  if ('inlinePolicy' in grants) return { policies: [scorer.permissionsOf(grants.inlinePolicy)], unresolved: [] };
  if (!snapshot) return { policies: [], unresolved: ['no account read-out to find its policy in'] };
  const account = principals ?? new AccountPrincipals(scorer, snapshot);
  if ('managedPolicy' in grants) {
    const permissions = account.managedPermissions(grants.managedPolicy);
    return permissions ? { policies: [permissions], unresolved: [] } : { policies: [], unresolved: [`managed policy ${grants.managedPolicy} is not in the account read-out`] };
  }
  if (!('group' in grants)) return { policies: [], unresolved: [`${Object.keys(grants)[0]} resources are scored from the system that holds them`] };
  const group = account.find('group', grants.group);
  if (!group) return { policies: [], unresolved: [`group ${grants.group} is not in the account read-out`] };
  return { policies: group.policies.map((p) => p.permissions), unresolved: group.unresolved.map((arn) => `group ${grants.group}'s policy ${arn} is not in the account read-out`) };
}

export function scoreResource(scorer: RiskScorer, resource: ResourceFile, snapshot: AccountSnapshot | undefined, principals?: AccountPrincipals): ResourceRisk {
  const { policies, unresolved } = resourcePermissions(scorer, resource, snapshot, principals);
  const report = scorer.scorePermissions(policies);
  return {
    resource: resource.id,
    ...report,
    services: scorer.allowedServices(policies),
    privilegeEscalation: report.findings.some((f) => f.category === 'privilege-escalation'),
    unresolved,
  };
}
