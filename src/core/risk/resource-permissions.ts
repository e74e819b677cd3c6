import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccountPrincipals } from './account-principals.js';
import type { RiskFinding } from './find-risk-findings.js';
import type { PermissionSetPolicySource } from './permission-set-policies.js';
import type { PolicyPermissions } from './policy-permissions.js';
import type { RiskScorer } from './risk-scorer.js';

/** What a resource's grant hands out, as permission sets. */
export interface ResourcePermissions {
  policies: PolicyPermissions[];
  /** A permissions boundary that caps them (a permission set's). */
  boundary?: PolicyPermissions;
  /** Findings the policies cannot show: a referenced policy whose document could not be read. */
  findings?: RiskFinding[];
  /** Why part (or all) of it could not be read: its policy or group is not in the account read-out. */
  unresolved: string[];
}

/** What an entitlement kind may read to say what one of its resources hands out. */
export interface ResourceRiskContext {
  scorer: RiskScorer;
  /** The read-out of the resource's system, when there is one. */
  snapshot?: AccountSnapshot;
  /** That read-out's principals, resolved once (an IAM account's). */
  principals?: AccountPrincipals;
  /** The managed policies of the run's IAM accounts, by account (a permission set references them). */
  policies?: PermissionSetPolicySource;
  /** When conditions on the clock are judged. */
  at?: Date;
}
