import { loadActionCatalogue } from '../adapters/iam-data/load-action-catalogue.js';
import { readPolicyDocument } from '../adapters/file/read-policy-document.js';
import { runBounded } from '../adapters/aws/run-bounded.js';
import { diagnostic, type Diagnostic } from '../core/diagnostic.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import { iamAccountsOf, snapshotPolicySource } from '../core/risk/permission-set-policies.js';
import { scoreIdentityCenter, type IdentityCenterRiskReport } from '../core/risk/score-identity-center.js';
import { locate } from '../core/yaml-source.js';
import { RiskScorer, type RiskReport } from '../core/risk/risk-scorer.js';
import { scoreAccount, type AccountRiskReport } from '../core/risk/score-account.js';
import type { IamProvider, IamSystemRef } from '../ports.js';
import { resolveAccountSystems } from './account-systems.js';
import { SYSTEM_CONCURRENCY } from './plan.js';

/** The scorer with the shipped model and the installed catalogue; built once per process. */
let scorer: Promise<RiskScorer> | undefined;
export function defaultRiskScorer(): Promise<RiskScorer> {
  scorer ??= loadActionCatalogue().then((catalogue) => new RiskScorer(catalogue));
  return scorer;
}

export interface PolicyFileRisk extends RiskReport {
  file: string;
  model: string;
  catalogue: string;
}

/** One document, its clock conditions judged at `at`. */
export async function scorePolicyFile(path: string, at?: Date): Promise<PolicyFileRisk> {
  const [document, risk] = await Promise.all([readPolicyDocument(path), defaultRiskScorer()]);
  return { file: path, ...risk.scorePolicy(document, at), model: risk.model.version, catalogue: risk.index.source };
}

export interface AccountsRisk {
  /** One report per IAM account read. */
  accounts: (AccountRiskReport & { system: string })[];
  /** One report per Identity Center instance read: its permission sets. */
  identityCenter: (IdentityCenterRiskReport & { system: string })[];
  /** Systems that could not be read (the others are scored): why, located at the system in grantops.yaml. */
  unreadable: Diagnostic[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/**
 * Reads every system once, concurrently (bounded, as plan does), and scores each IAM account's policies
 * and principals (the principal graph) and each Identity Center instance's permission sets, at `now`.
 * A permission set's referenced policies are found in the IAM accounts of the same run. A system that
 * cannot be read is reported and the others are still scored.
 */
export async function scoreAccounts(options: { root: string; dir: string; provider: IamProvider; now: Date; systems?: readonly string[] }): Promise<AccountsRisk> {
  const resolved = await resolveAccountSystems(options);
  if (!resolved.ok) return { accounts: [], identityCenter: [], unreadable: [], diagnostics: resolved.diagnostics, ok: false };
  const risk = await defaultRiskScorer();
  const reads = await runBounded(resolved.systems, SYSTEM_CONCURRENCY, async (system) => {
    try {
      return { system, snapshot: await options.provider.readSnapshot(system) };
    } catch (error) {
      return { system, error: error instanceof Error ? error.message : String(error) };
    }
  });
  const orgFile = resolved.repo?.org?.file ?? `${options.dir}/grantops.yaml`;
  const unreadable = reads.flatMap((r) => ('error' in r ? [diagnostic(orgFile, locate(resolved.repo?.org?.source, ['systems', r.system.id]), 'risk/system-unreachable', `system "${r.system.id}" could not be read, so it is not scored: ${r.error}`)] : []));
  const read = reads.filter((r): r is { system: IamSystemRef; snapshot: AccountSnapshot } => 'snapshot' in r);
  const iamAccounts = iamAccountsOf(read.map(({ system, snapshot }) => ({ config: system.config, snapshot })));
  const source = snapshotPolicySource(iamAccounts);
  const accounts: AccountsRisk['accounts'] = [];
  const identityCenter: AccountsRisk['identityCenter'] = [];
  for (const { system, snapshot } of read) {
    if (snapshot.IdentityCenter) identityCenter.push({ system: system.id, ...scoreIdentityCenter(risk, snapshot.IdentityCenter, source, { at: options.now, accounts: iamAccounts }) });
    else accounts.push({ system: system.id, ...scoreAccount(risk, snapshot, { at: options.now }) });
  }
  return { accounts, identityCenter, unreadable, diagnostics: resolved.diagnostics, ok: true };
}
