import type { Diagnostic } from '../core/diagnostic.js';
import type { IamOperation } from '../core/plan/iam-operation.js';
import type { WithheldGrant } from '../core/plan/isolate-problems.js';
import type { RetryReport } from '../core/plan/retry-report.js';
import type { ProvenanceReport } from '../core/provenance/evaluate-branch-provenance.js';
import type { NotificationReport } from '../core/notify/notification-report.js';
import type { ActionCommand } from './inputs.js';

/** What became of one operation of the plan in this run. */
export type OperationOutcome =
  /** Computed but not executed: `plan`, or `apply` with `dry-run`. */
  | 'planned'
  | 'applied'
  | 'failed'
  /** A `provision: manual` resource's step, for a person to carry out. */
  | 'manual';

export interface OperationRow {
  operation: IamOperation;
  outcome: OperationOutcome;
  error?: string;
}

/** Everything one run of the Action found and did: rendered as the job summary, annotations and outputs. */
export interface ActionReport {
  command: ActionCommand;
  dryRun: boolean;
  rows: OperationRow[];
  diagnostics: Diagnostic[];
  /** Grants a problem held back (everything else was applied or planned). */
  withheld?: WithheldGrant[];
  /** The calls the run retried. */
  retries?: RetryReport;
  /** Present when an apply run confirmed where the branch's access files came from. */
  provenance?: ProvenanceReport;
  /** Things the reader should know that are not problems in a file (e.g. why provenance was not checked). */
  notes: string[];
  /** A failure of the run itself, not tied to a file (bad input, unreadable push, refused API call). */
  failure?: string;
  /** What became of the notifications the run sent; a failed delivery never fails the run. */
  notifications?: NotificationReport;
  ok: boolean;
}

export interface ActionCounts {
  /** Operations the plan would execute (manual steps not included). */
  operations: number;
  applied: number;
  failed: number;
  /** Access files held back because their last change did not arrive through an approved pull request. */
  withheld: number;
  /** Grants held back by a problem in a file or in the plan (quota, missing IAM user, wrong reference). */
  withheldGrants: number;
  manual: number;
  /** IAM calls retried (throttling, concurrent modification, 5xx, dropped connections). */
  retries: number;
}

export function countOutcomes(report: ActionReport): ActionCounts {
  const count = (outcome: OperationOutcome) => report.rows.filter((row) => row.outcome === outcome).length;
  return {
    operations: report.rows.length - count('manual'),
    applied: count('applied'),
    failed: count('failed'),
    withheld: report.provenance?.withheld.length ?? 0,
    withheldGrants: report.withheld?.length ?? 0,
    manual: count('manual'),
    retries: report.retries?.total ?? 0,
  };
}
