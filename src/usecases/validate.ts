import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import { loadAccessRepo, type LoadResult } from '../core/load-access-repo.js';
import { scoreResource } from '../core/risk/resource-risk.js';
import { resolveRiskSettings } from '../core/risk/risk-settings.js';
import type { RiskScorer } from '../core/risk/risk-scorer.js';
import { checkSensitivityBelowRisk } from '../core/risk/sensitivity-below-risk.js';
import type { IamProvider } from '../ports.js';

/**
 * What validate needs to compare sensitivity with risk. Inline-policy resources are scored from the
 * repository alone; managed-policy and group resources only when a provider reads their accounts.
 */
export interface ValidateRiskInput {
  scorer: RiskScorer;
  provider?: IamProvider;
}

/**
 * Risk checks asked for: `always`, or `when-configured` (once grantops.yaml has a `risk:` block). What
 * they need is loaded only when they run: the IAM catalogue is most of a validate's start-up otherwise.
 */
export interface RiskRequest {
  when: 'always' | 'when-configured';
  load: () => Promise<ValidateRiskInput>;
}

/** Reads the access directory under `root` and validates it at `now` (and against risk, when asked). */
export async function validateDir(root: string, dir: string, now: Date, riskRequest?: RiskRequest): Promise<LoadResult> {
  const result = loadAccessRepo(await readAccessDir(root, dir), now);
  const org = result.repo.org?.value;
  if (!riskRequest || !org || hasErrors(result.diagnostics)) return result;
  if (riskRequest.when === 'when-configured' && org.risk === undefined) return result;
  const risk = await riskRequest.load();
  // Loaded only when risk checks run: reading systems brings the planner, and start-up should not pay for it.
  const [{ readAllSystems }, { systemsPolicySource }] = await Promise.all([import('./read-all-systems.js'), import('../core/risk/permission-set-policies.js')]);
  const accounts = risk.provider ? await readAllSystems(org.systems, risk.provider) : new Map<string, AccountSnapshot>();
  const policies = systemsPolicySource(org.systems, accounts);
  const risks = [...result.repo.resources.values()].map((r) => scoreResource(risk.scorer, r.value, accounts.get(r.value.system), undefined, policies));
  const warnings = checkSensitivityBelowRisk(result.repo, risks, resolveRiskSettings(org));
  return { repo: result.repo, diagnostics: sortDiagnostics([...result.diagnostics, ...warnings]) };
}
