import type { Diagnostic } from '../core/diagnostic.js';
import { buildInventory, type InventoryReport } from '../core/inventory/build-inventory.js';
import type { AccessReport } from '../core/report/access-report.js';
import { buildAccessReport, type AccessReportInput } from '../core/report/build-access-report.js';
import { resolveRiskSettings } from '../core/risk/risk-settings.js';
import type { IamProvider, IamUsageReader } from '../ports.js';
import { resolveAccountSystems } from './account-systems.js';
import { readOutContext, readOutSystems } from './read-out-systems.js';
import { auditRepository, type AuditPorts } from './audit.js';
import { defaultRiskScorer } from './risk.js';

const DAY_MS = 86_400_000;

export interface ReportOptions {
  root: string;
  /** The access directory, relative to `root`. */
  dir: string;
  provider: IamProvider;
  usage: IamUsageReader;
  now: Date;
  systems?: readonly string[];
  /** "Expiring" means ending within this many days (14 unless told). */
  horizonDays?: number;
  /**
   * The history of the access directory (git and decision notes), with the directory relative to the
   * repository root; or why there is none (e.g. not a git clone): the report then says so.
   */
  history: { ports: AuditPorts; dir: string; sinceDays: number } | { unavailable: string };
}

export interface ReportResult {
  /** Present whenever the directory loads, also when a system could not be read (then `ok` is false). */
  report?: AccessReport;
  diagnostics: Diagnostic[];
  ok: boolean;
}

/**
 * `grantops report`: the repository, each account once (with its usage), and the recent history, put side by
 * side by the pure core. Writes nothing; the caller renders and stores the report.
 */
export async function buildReport(options: ReportOptions): Promise<ReportResult> {
  const resolved = await resolveAccountSystems(options);
  if (!resolved.ok) return { diagnostics: resolved.diagnostics, ok: false };
  if (!resolved.repo) {
    return {
      diagnostics: [{ file: options.dir, line: 1, column: 1, rule: 'report/no-access-dir', severity: 'error', message: `no access directory at ${options.dir}: the report describes an organisation's grants` }],
      ok: false,
    };
  }
  const scorer = await defaultRiskScorer();
  const settings = resolveRiskSettings(resolved.repo.org?.value);
  const { reads, problems, unread } = await readOutSystems(resolved, options.provider, options.usage);
  const context = readOutContext(reads, scorer, options.now);
  const inventories: InventoryReport[] = reads.map(({ system, snapshot }) =>
    buildInventory({ system: system.id, type: system.config.type, snapshot, repo: resolved.repo!, scorer, settings, now: options.now, ...context(snapshot) }),
  );
  let history: AccessReportInput['history'];
  if ('unavailable' in options.history) {
    history = { unavailable: options.history.unavailable };
  } else {
    const { ports, dir, sinceDays } = options.history;
    const audit = await auditRepository(ports, {
      dir,
      now: options.now,
      verify: false,
      filter: { since: new Date(options.now.getTime() - sinceDays * DAY_MS), until: options.now },
    });
    history = { audit, sinceDays };
  }
  const report = buildAccessReport({ repo: resolved.repo, inventories, ...(unread.length > 0 ? { unread } : {}), now: options.now, horizonDays: options.horizonDays ?? 14, history });
  // A system that could not be read is reported at its entry and left out of the page; the run fails at the end.
  return { report, diagnostics: [...resolved.diagnostics, ...problems], ok: problems.length === 0 };
}
