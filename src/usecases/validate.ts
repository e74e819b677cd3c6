import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import { loadAccessRepo, type LoadResult } from '../core/load-access-repo.js';
import type { RiskScorer } from '../core/risk/risk-scorer.js';
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
  const [risk, { findRiskWarnings }] = await Promise.all([riskRequest.load(), import('./validate-risk.js')]);
  const warnings = await findRiskWarnings(result.repo, org, risk);
  return { repo: result.repo, diagnostics: sortDiagnostics([...result.diagnostics, ...warnings]) };
}
