import type { Diagnostic } from '../core/diagnostic.js';
import { parseDuration } from '../core/duration.js';
import { buildInventory, type InventoryReport } from '../core/inventory/build-inventory.js';
import { resolveRiskSettings } from '../core/risk/risk-settings.js';
import type { IamProvider, IamUsageReader } from '../ports.js';
import { resolveAccountSystems } from './account-systems.js';
import { readOutContext, readOutSystems } from './read-out-systems.js';
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
  /** One per system read out (a system that could not be read has none, and a diagnostic instead). */
  reports: InventoryReport[];
  diagnostics: Diagnostic[];
  /** False when the directory is invalid or a system could not be read out. */
  ok: boolean;
}

/** Reads each account with its usage and builds the read-out against the repository. Writes nothing. */
export async function inventoryAccounts(options: InventoryOptions): Promise<InventoryResult> {
  const resolved = await resolveAccountSystems(options);
  if (!resolved.ok) return { reports: [], diagnostics: resolved.diagnostics, ok: false };
  const scorer = await defaultRiskScorer();
  const settings = resolveRiskSettings(resolved.repo?.org?.value);
  if (options.unusedAfter) settings.unusedAfterMs = parseDuration(options.unusedAfter);
  const { reads, problems } = await readOutSystems(resolved, options.provider, options.usage, { serviceLastAccessed: options.serviceLastAccessed });
  const context = readOutContext(reads, scorer, options.now);
  const reports: InventoryReport[] = reads.map(({ system, snapshot }) =>
    buildInventory({ system: system.id, type: system.config.type, snapshot, repo: resolved.repo, scorer, settings, now: options.now, ...context(snapshot) }),
  );
  // A system that could not be read is reported at its entry; the others are read out, and the run fails at the end.
  return { reports, diagnostics: [...resolved.diagnostics, ...problems], ok: problems.length === 0 };
}
