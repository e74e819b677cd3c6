import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import { selectRuleFiles } from '../core/approval/rules-from-base.js';
import { parseAccessRepo } from '../core/parse-access-repo.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import { riskEscalation, type GrantRisk } from '../core/risk/grant-risk.js';
import { resolveRiskSettings } from '../core/risk/risk-settings.js';
import type { EscalateSensitivity } from '../core/approval/approval-input.js';
import type { IamProvider } from '../ports.js';
import { readAllSystems } from './read-all-systems.js';
import { defaultRiskScorer } from './risk.js';

/** Risk for one pull request's evaluation: the evaluator's escalation hook, and each grant's assessment. */
export interface PreparedGrantRisk {
  escalate: EscalateSensitivity;
  assess: (user: string, resource: string) => GrantRisk | undefined;
  model: string;
}

/** Builds the risk of a pull request's grants from the rules at its base; what the app and `check` hand the evaluator. */
export type GrantRiskSource = (rulesAtBase: RepoSnapshot) => Promise<PreparedGrantRisk | undefined>;

/**
 * Risk for organisations whose grantops.yaml has a `risk:` block (undefined otherwise). Reads each
 * system's account through `provider` (when there is one: managed-policy and group resources
 * need it; inline policies do not) and prepares the assessment against the base's rules. A provider that
 * fails fails the evaluation: approving with the escalation left out would lower the bar.
 */
export function grantRiskSource(provider?: IamProvider, now: () => Date = () => new Date()): GrantRiskSource {
  // A head judged again (a new review) comes back with the same base snapshot: its risk is not read twice.
  const prepared = new WeakMap<RepoSnapshot, Promise<PreparedGrantRisk | undefined>>();
  const source: GrantRiskSource = async (rulesAtBase) => {
    const { repo } = parseAccessRepo(selectRuleFiles(rulesAtBase));
    const org = repo.org?.value;
    // The organisation opts in through its own rules (reviewed like any rule change).
    if (!org?.risk) return undefined;
    // Roles too: the principal graph follows trust policies to them. Any system that cannot be read
    // fails the whole assessment (see above).
    const include = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
    const accounts = provider ? await readAllSystems(org.systems, provider, { include }) : new Map<string, AccountSnapshot>();
    const scorer = await defaultRiskScorer();
    // Conditions on the clock (a role grant's aws:CurrentTime) are judged when the base is read.
    return { ...riskEscalation({ scorer, settings: resolveRiskSettings(org), repo, accounts, at: now() }), model: scorer.model.version };
  };
  return (rulesAtBase) => {
    let risk = prepared.get(rulesAtBase);
    if (!risk) {
      risk = source(rulesAtBase);
      prepared.set(rulesAtBase, risk);
      // A failed read is not remembered: the next evaluation tries again (and fails closed again if it must).
      risk.catch(() => prepared.delete(rulesAtBase));
    }
    return risk;
  };
}
