import type { IssueRecord, LifecycleGitHub } from '../ports.js';

/** An issue grantops wants to exist exactly once, known by the hidden marker in its body. */
export interface WantedIssue {
  marker: string;
  title: string;
  body: string;
  assignees: readonly string[];
}

export interface IssueOutcome {
  marker: string;
  /** `opened` now, `exists` from an earlier run (open or closed), `planned` in a dry run. */
  status: 'opened' | 'exists' | 'planned';
  issue?: Pick<IssueRecord, 'number' | 'url' | 'state'>;
  assignees?: string[];
}

/**
 * Completes the issues about to be opened (the same markers, in the same order), e.g. with facts too
 * costly to read for issues that exist already.
 */
export type CompleteIssues = (missing: readonly WantedIssue[]) => Promise<readonly WantedIssue[]>;

/**
 * Opens each wanted issue unless an issue with its marker exists already, open or closed: a closed one
 * means a person dealt with it, and a second would be noise. Issues are found by their label, so one
 * listing covers every run's issues. With `dryRun`, nothing is listed or opened.
 */
export async function openIssuesOnce(github: LifecycleGitHub, label: { name: string; description: string }, wanted: readonly WantedIssue[], dryRun: boolean, complete?: CompleteIssues): Promise<IssueOutcome[]> {
  if (wanted.length === 0) return [];
  if (dryRun) return wanted.map((w) => ({ marker: w.marker, status: 'planned' }));
  await github.ensureLabel(label.name, label.description);
  const existing = await github.listIssues(label.name);
  const missing = wanted.filter((w) => !existing.some((issue) => issue.body.includes(w.marker)));
  const completed = new Map((complete && missing.length > 0 ? await complete(missing) : missing).map((w) => [w.marker, w]));
  const outcomes: IssueOutcome[] = [];
  for (const wantedIssue of wanted) {
    // Looked up again each time: two wanted issues with one marker find the first, just opened.
    const found = existing.find((issue) => issue.body.includes(wantedIssue.marker));
    if (found) {
      outcomes.push({ marker: wantedIssue.marker, status: 'exists', issue: { number: found.number, url: found.url, state: found.state } });
      continue;
    }
    const w = completed.get(wantedIssue.marker) ?? wantedIssue;
    const created = await github.createIssue({ title: w.title, body: w.body, labels: [label.name], assignees: w.assignees });
    existing.push(created);
    outcomes.push({ marker: w.marker, status: 'opened', issue: { number: created.number, url: created.url, state: created.state }, assignees: created.assignees });
  }
  return outcomes;
}
