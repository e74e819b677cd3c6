import { loadActionCatalogue } from '../adapters/iam-data/load-action-catalogue.js';
import { readPolicyDocument } from '../adapters/file/read-policy-document.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { RiskScorer, type RiskReport } from '../core/risk/risk-scorer.js';
import { scoreAccount, type AccountRiskReport } from '../core/risk/score-account.js';
import type { IamProvider } from '../ports.js';
import { resolveAccountSystems } from './account-systems.js';

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
  /** One report per system read. */
  accounts: (AccountRiskReport & { system: string })[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Reads each system's account once and scores its policies and principals (the principal graph), at `now`. */
export async function scoreAccounts(options: { root: string; dir: string; provider: IamProvider; now: Date; systems?: readonly string[] }): Promise<AccountsRisk> {
  const resolved = await resolveAccountSystems(options);
  if (!resolved.ok) return { accounts: [], diagnostics: resolved.diagnostics, ok: false };
  const risk = await defaultRiskScorer();
  const accounts: AccountsRisk['accounts'] = [];
  for (const system of resolved.systems) {
    accounts.push({ system: system.id, ...scoreAccount(risk, await options.provider.readSnapshot(system), { at: options.now }) });
  }
  return { accounts, diagnostics: resolved.diagnostics, ok: true };
}
