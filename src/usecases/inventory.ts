import type { Diagnostic } from '../core/diagnostic.js';
import { parseDuration } from '../core/duration.js';
import { buildInventory, type InventoryReport } from '../core/inventory/build-inventory.js';
import { resolveRiskSettings } from '../core/risk/risk-settings.js';
import type { IamProvider, IamUsageReader } from '../ports.js';
import { resolveAccountSystems } from './account-systems.js';
import { defaultRiskScorer } from './risk.js';

export interface InventoryOptions {
  root: string;
  dir: string;
  provider: IamProvider;
  usage: IamUsageReader;
  now: Date;
  systems?: readonly string[];
  /** Overrides `risk.unusedAfter`, e.g. `45d`. */
  unusedAfter?: string;
  /** Run per-principal service-last-accessed jobs (aws provider). */
  serviceLastAccessed?: boolean;
}

export interface InventoryResult {
  reports: InventoryReport[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Reads each account with its usage and builds the read-out against the repository. Writes nothing. */
export async function inventoryAccounts(options: InventoryOptions): Promise<InventoryResult> {
  const resolved = await resolveAccountSystems(options);
  if (!resolved.ok) return { reports: [], diagnostics: resolved.diagnostics, ok: false };
  const scorer = await defaultRiskScorer();
  const settings = resolveRiskSettings(resolved.repo?.org?.value);
  if (options.unusedAfter) settings.unusedAfterMs = parseDuration(options.unusedAfter);
  const reports: InventoryReport[] = [];
  for (const system of resolved.systems) {
    const snapshot = await options.usage.addUsage(system, await options.provider.readSnapshot(system), { serviceLastAccessed: options.serviceLastAccessed });
    reports.push(buildInventory({ system: system.id, snapshot, repo: resolved.repo, scorer, settings, now: options.now }));
  }
  return { reports, diagnostics: resolved.diagnostics, ok: true };
}
