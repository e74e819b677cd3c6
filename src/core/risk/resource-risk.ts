import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { ResourceFile } from '../model.js';
import { AccountPrincipals } from './account-principals.js';
import { entitlementKindOf } from '../entitlements/registry.js';
import type { PermissionSetPolicySource } from './permission-set-policies.js';
import type { ResourcePermissions } from './resource-permissions.js';
import type { RiskReport, RiskScorer } from './risk-scorer.js';

export type { ResourcePermissions, ResourceRiskContext } from './resource-permissions.js';

export interface ResourceRisk extends RiskReport {
  resource: string;
  /** Service prefixes it allows some action of (what "using the grant" means for usage tracking). */
  services: string[];
  /** Some finding is a privilege escalation. */
  privilegeEscalation: boolean;
  unresolved: string[];
}

/**
 * What the resource's grant hands out: its entitlement kind says (`EntitlementKind.riskOf`). An inline
 * policy is read from the resource file alone; a managed policy, a group, a role or a permission set
 * needs read-outs. Without them, or when they lack what is named, `unresolved` says so.
 */
export function resourcePermissions(scorer: RiskScorer, resource: ResourceFile, snapshot: AccountSnapshot | undefined, principals?: AccountPrincipals, policies?: PermissionSetPolicySource): ResourcePermissions {
  const kind = entitlementKindOf(resource.grants);
  if (!kind.riskOf) return { policies: [], unresolved: [`${kind.id} resources are not scored`] };
  return kind.riskOf(resource, { scorer, ...(snapshot && { snapshot, principals: principals ?? new AccountPrincipals(scorer, snapshot) }), ...(policies && { policies }) });
}

export function scoreResource(scorer: RiskScorer, resource: ResourceFile, snapshot: AccountSnapshot | undefined, principals?: AccountPrincipals, policies?: PermissionSetPolicySource): ResourceRisk {
  const granted = resourcePermissions(scorer, resource, snapshot, principals, policies);
  const report = scorer.scorePermissions(granted.policies, granted.boundary, { extra: granted.findings ?? [] });
  return {
    resource: resource.id,
    ...report,
    services: scorer.allowedServices(granted.policies, granted.boundary),
    privilegeEscalation: report.findings.some((f) => f.category === 'privilege-escalation'),
    unresolved: granted.unresolved,
  };
}
