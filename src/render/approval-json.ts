import type { ApprovalResult, RoleEvaluation } from '../core/approval/approval-result.js';
import type { Diagnostic } from '../core/diagnostic.js';

/** The stable JSON of `grantops check --format json`: what other CI systems gate on. */
export interface ApprovalJson {
  status: ApprovalResult['status'];
  approved: boolean;
  why: string;
  grants: {
    file: string;
    line: number;
    user: string;
    resource: string;
    change: string;
    status: string;
    sensitivity: string | null;
    required: string[];
    satisfiedBy: { role: string; login: string }[];
    missing: { role: string; candidates: string[]; why: string }[];
    why: string;
  }[];
  rulesChange: { files: string[]; status: RoleEvaluation['status']; satisfiedBy: string | null; candidates: string[]; why: string } | null;
  errors: JsonDiagnostic[];
  warnings: JsonDiagnostic[];
  approvals: string[];
  ignoredReviews: { reviewer: string; reason: string; why: string }[];
}

type JsonDiagnostic = Pick<Diagnostic, 'file' | 'line' | 'column' | 'rule' | 'message' | 'severity'>;

export function toApprovalJson(result: ApprovalResult, extra: Record<string, unknown> = {}): ApprovalJson & Record<string, unknown> {
  const diag = (d: Diagnostic): JsonDiagnostic => ({ file: d.file, line: d.line, column: d.column, rule: d.rule, message: d.message, severity: d.severity });
  return {
    ...extra,
    status: result.status,
    approved: result.approved,
    why: result.why,
    grants: result.grants.map((g) => ({
      file: g.file,
      line: g.line,
      user: g.user,
      resource: g.resource,
      change: g.change,
      status: g.status,
      sensitivity: g.sensitivity?.level ?? null,
      required: g.required,
      satisfiedBy: g.roles.filter((r) => r.satisfiedBy !== undefined).map((r) => ({ role: r.role, login: r.satisfiedBy! })),
      missing: g.roles.filter((r) => r.status === 'missing').map((r) => ({ role: r.role, candidates: r.candidates, why: r.why })),
      why: g.why,
    })),
    rulesChange: result.rulesChange
      ? { files: result.rulesChange.files, status: result.rulesChange.status, satisfiedBy: result.rulesChange.satisfiedBy ?? null, candidates: result.rulesChange.candidates, why: result.rulesChange.why }
      : null,
    errors: result.errors.map(diag),
    warnings: result.warnings.map(diag),
    approvals: result.approvals.map((a) => a.reviewer),
    ignoredReviews: result.ignoredReviews.map((r) => ({ reviewer: r.reviewer, reason: r.reason, why: r.why })),
  };
}

export function renderApprovalJson(result: ApprovalResult, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(toApprovalJson(result, extra), null, 2);
}
