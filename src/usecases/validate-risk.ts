import type { Diagnostic } from '../core/diagnostic.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import type { AccessRepo, OrgConfig } from '../core/model.js';
import { systemsPolicySource } from '../core/risk/permission-set-policies.js';
import { scoreResource } from '../core/risk/resource-risk.js';
import { resolveRiskSettings } from '../core/risk/risk-settings.js';
import { checkSensitivityBelowRisk } from '../core/risk/sensitivity-below-risk.js';
import { readAllSystems } from './read-all-systems.js';
import type { ValidateRiskInput } from './validate.js';

/**
 * validate's risk checks: every resource scored (its systems read when a provider is given) and warned
 * about when it scores above what its sensitivity level suits. A module of its own, loaded only when
 * the checks run, so a plain validate does not load the scorer's modules or the planner's reader.
 */
export async function findRiskWarnings(repo: AccessRepo, org: OrgConfig, risk: ValidateRiskInput): Promise<Diagnostic[]> {
  const accounts = risk.provider ? await readAllSystems(org.systems, risk.provider) : new Map<string, AccountSnapshot>();
  const policies = systemsPolicySource(org.systems, accounts);
  const risks = [...repo.resources.values()].map((r) => scoreResource(risk.scorer, r.value, accounts.get(r.value.system), undefined, policies));
  return checkSensitivityBelowRisk(repo, risks, resolveRiskSettings(org));
}
