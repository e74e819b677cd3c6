import type { ApprovalResult } from '../core/approval/approval-result.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { CheckAnnotation, CheckRunReport } from '../ports.js';
import { renderApprovalMarkdown, renderApprovalTitle, type ApprovalMarkdownOptions } from './approval-markdown.js';

/** The check's name: branch protection and merge queues require it by this name. */
export const CHECK_NAME = 'grantops';

/**
 * Annotations published per evaluation. Four requests of 50 keep a pull request within its API budget
 * (10 + 2·ceil(F/100) requests); the summary and text still list every problem.
 */
export const MAX_ANNOTATIONS = 200;

/** GitHub's limit on a check run's summary and text, and on a comment body. */
export const GITHUB_TEXT_LIMIT = 65535;

/** A pull request can wait for approvals; a merge queue cannot, so missing approvals fail there. */
export type CheckSubject = 'pull_request' | 'merge_group';

export interface ApprovalCheckOptions extends ApprovalMarkdownOptions {
  headSha: string;
  subject: CheckSubject;
}

/**
 * The `grantops` check for an evaluated pull request: `success` when approved; `in_progress` while
 * approvals are missing (never a conclusion that branch protection would count as passing), or
 * `failure` in a merge queue; `failure` with annotations at file and line when files are invalid.
 */
export function renderApprovalCheckRun(result: ApprovalResult, options: ApprovalCheckOptions): CheckRunReport {
  const title = renderApprovalTitle(result);
  const { annotations, omitted } = renderDiagnosticAnnotations([...result.errors, ...result.warnings], MAX_ANNOTATIONS);
  const lead =
    options.subject === 'merge_group' && result.status === 'pending'
      ? 'This merge group holds a pull request whose approvals are missing, so it cannot be merged. Approve the pull request and queue it again.\n\n'
      : '';
  const summary = fitGitHubText(lead + renderApprovalMarkdown(result, options));
  const report: CheckRunReport = {
    name: CHECK_NAME,
    headSha: options.headSha,
    ...checkState(result, options.subject),
    title,
    summary,
    annotations,
  };
  if (omitted > 0) {
    report.text = fitGitHubText(
      `${annotations.length + omitted} problems were found; the first ${annotations.length} are annotated. All of them:\n\n` +
        [...result.errors, ...result.warnings].map((d) => `- \`${d.file}:${d.line}:${d.column}\` ${d.severity} \`${d.rule}\`: ${d.message}`).join('\n'),
    );
  }
  return report;
}

function checkState(result: ApprovalResult, subject: CheckSubject): Pick<CheckRunReport, 'status' | 'conclusion'> {
  if (result.status === 'approved') return { status: 'completed', conclusion: 'success' };
  if (result.status === 'invalid' || subject === 'merge_group') return { status: 'completed', conclusion: 'failure' };
  return { status: 'in_progress' };
}

/** A quick neutral check for a pull request that changes nothing grantops judges. */
export function renderNoAccessCheckRun(headSha: string, dir: string): CheckRunReport {
  return {
    name: CHECK_NAME,
    headSha,
    status: 'completed',
    conclusion: 'neutral',
    title: 'No access changes',
    summary: `This pull request changes nothing under \`${dir}/\` or \`schemas/\`, so there is nothing for grantops to approve.`,
    annotations: [],
  };
}

/** Fail closed: what GitHub will not list cannot be judged, so it cannot be approved. */
export function renderTooLargeCheckRun(headSha: string, changedFiles: number, cap: number): CheckRunReport {
  return {
    name: CHECK_NAME,
    headSha,
    status: 'completed',
    conclusion: 'failure',
    title: `Too many files to judge (${changedFiles.toLocaleString('en-US')})`,
    summary:
      `This pull request changes ${changedFiles.toLocaleString('en-US')} files. GitHub lists at most ${cap.toLocaleString('en-US')} files of a pull request, ` +
      'so grantops cannot see every change and will not approve it. Split it into smaller pull requests ' +
      '(or run `grantops check --base REF --head REF` locally to see the whole evaluation).',
    annotations: [],
  };
}

/** Fail closed: when the evaluation itself broke, the check says so instead of passing. */
export function renderEvaluationFailedCheckRun(headSha: string, message: string): CheckRunReport {
  return {
    name: CHECK_NAME,
    headSha,
    status: 'completed',
    conclusion: 'failure',
    title: 'Could not evaluate',
    summary: fitGitHubText(`grantops could not evaluate this commit, so it is not approved: ${message}\n\nRe-run the check to try again.`),
    annotations: [],
  };
}

/** Diagnostics as check-run annotations (errors as failures), the first `max` of them. */
export function renderDiagnosticAnnotations(diagnostics: readonly Diagnostic[], max: number): { annotations: CheckAnnotation[]; omitted: number } {
  const annotations = diagnostics.slice(0, max).map((d): CheckAnnotation => {
    // GitHub needs a line; a problem with the file as a whole sits on its first.
    const line = Math.max(1, d.line);
    const annotation: CheckAnnotation = { path: d.file, startLine: line, endLine: line, level: d.severity === 'error' ? 'failure' : 'warning', title: d.rule, message: d.message };
    if (d.line > 0 && d.column > 0) {
      annotation.startColumn = d.column;
      annotation.endColumn = d.column;
    }
    return annotation;
  });
  return { annotations, omitted: Math.max(0, diagnostics.length - max) };
}

/** Cuts text at a line boundary to fit GitHub's limit, saying that it was cut. */
export function fitGitHubText(text: string, limit = GITHUB_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const note = '\n\n… cut here: GitHub shows at most 65,535 characters. Run `grantops check --base REF --head REF` for the whole list.\n';
  const room = limit - note.length;
  const cut = text.lastIndexOf('\n', room);
  return text.slice(0, cut > 0 ? cut : room) + note;
}
