import { requireInstallation } from '../auth.js';
import { bodyObject, notFound, paginate, requireString, unprocessable, type ApiRequest, type Router } from '../http.js';
import type { AnnotationState, CheckRunState, GitHubState, RepoState } from '../state.js';

/** GitHub's limits on one check-run request, enforced so a client that ignores them fails here as it would there. */
export const ANNOTATIONS_PER_REQUEST = 50;
export const OUTPUT_TEXT_LIMIT = 65535;

const STATUSES = new Set(['queued', 'in_progress', 'completed']);
const CONCLUSIONS = new Set(['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out']);
const LEVELS = new Set(['notice', 'warning', 'failure']);

/** Check runs: create, update (annotations accumulate across updates, as on GitHub), read, list by commit. */
export function registerChecks(router: Router, state: GitHubState): void {
  const repoOf = (req: ApiRequest): RepoState => {
    requireInstallation(req.caller);
    return state.repository(req.params.owner!, req.params.repo!);
  };
  const runOf = (req: ApiRequest): [RepoState, CheckRunState] => {
    const repo = repoOf(req);
    const run = repo.checkRuns.get(Number(req.params.id));
    if (!run) throw notFound();
    return [repo, run];
  };

  router.post('/repos/:owner/:repo/check-runs', async (req) => {
    const repo = repoOf(req);
    const body = bodyObject(req);
    const name = requireString(body, 'name');
    const headSha = requireString(body, 'head_sha');
    if (!/^[0-9a-f]{40}$/.test(headSha) || !(await repo.git.hasCommit(headSha))) {
      throw unprocessable(`No commit found for SHA: ${headSha}`);
    }
    const run: CheckRunState = {
      id: state.nextId(),
      name,
      headSha,
      status: 'queued',
      conclusion: null,
      startedAt: state.timestamp(),
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      appId: state.app.id,
    };
    applyUpdate(state, run, body);
    repo.checkRuns.set(run.id, run);
    return { status: 201, body: checkRunJson(repo, run) };
  });

  router.patch('/repos/:owner/:repo/check-runs/:id', (req) => {
    const [repo, run] = runOf(req);
    applyUpdate(state, run, bodyObject(req));
    return { status: 200, body: checkRunJson(repo, run) };
  });

  router.get('/repos/:owner/:repo/check-runs/:id', (req) => {
    const [repo, run] = runOf(req);
    return { status: 200, body: checkRunJson(repo, run) };
  });

  router.get('/repos/:owner/:repo/check-runs/:id/annotations', (req) => {
    const [, run] = runOf(req);
    return paginate(req, run.annotations.map((a) => ({ ...a, blob_href: '' })));
  });

  router.get('/repos/:owner/:repo/commits/:ref/check-runs', (req) => {
    const repo = repoOf(req);
    const name = req.query.get('check_name');
    const appId = req.query.get('app_id');
    const runs = [...repo.checkRuns.values()]
      .filter((r) => r.headSha === req.params.ref && (!name || r.name === name) && (!appId || r.appId === Number(appId)))
      .reverse();
    const page = paginate(req, runs.map((r) => checkRunJson(repo, r)));
    return { ...page, body: { total_count: runs.length, check_runs: page.body } };
  });
}

function applyUpdate(state: GitHubState, run: CheckRunState, body: Record<string, unknown>): void {
  if (body.name !== undefined) run.name = requireString(body, 'name');
  if (body.details_url !== undefined) run.detailsUrl = String(body.details_url);
  if (body.external_id !== undefined) run.externalId = String(body.external_id);
  const status = body.status as string | undefined;
  const conclusion = body.conclusion as string | undefined;
  if (status !== undefined && !STATUSES.has(status)) throw unprocessable(`Invalid status "${status}"`);
  if (conclusion !== undefined && !CONCLUSIONS.has(conclusion)) throw unprocessable(`Invalid conclusion "${conclusion}"`);
  if (status === 'completed' && conclusion === undefined) throw unprocessable('Invalid request.\n\nNo conclusion supplied for a completed check run.');
  if (conclusion !== undefined) {
    run.status = 'completed';
    run.conclusion = conclusion;
    run.completedAt = state.timestamp();
  } else if (status !== undefined) {
    run.status = status as CheckRunState['status'];
    run.conclusion = null;
    run.completedAt = null;
  }
  if (body.output !== undefined) applyOutput(run, body.output);
}

function applyOutput(run: CheckRunState, output: unknown): void {
  if (typeof output !== 'object' || output === null) throw unprocessable('Invalid request.\n\n"output" must be an object.');
  const o = output as Record<string, unknown>;
  const title = requireString(o, 'title');
  const summary = requireString(o, 'summary');
  if (summary.length > OUTPUT_TEXT_LIMIT) throw unprocessable(`Invalid request.\n\nOnly ${OUTPUT_TEXT_LIMIT} characters are allowed in the summary.`);
  if (typeof o.text === 'string' && o.text.length > OUTPUT_TEXT_LIMIT) throw unprocessable(`Invalid request.\n\nOnly ${OUTPUT_TEXT_LIMIT} characters are allowed in the text.`);
  const annotations = o.annotations === undefined ? [] : o.annotations;
  if (!Array.isArray(annotations)) throw unprocessable('Invalid request.\n\n"annotations" must be an array.');
  if (annotations.length > ANNOTATIONS_PER_REQUEST) {
    throw unprocessable(`Invalid request.\n\nOnly ${ANNOTATIONS_PER_REQUEST} annotations are allowed per request.`);
  }
  const checked = annotations.map(checkAnnotation);
  run.output = { title, summary, text: typeof o.text === 'string' ? o.text : run.output.text };
  run.annotations.push(...checked);
}

function checkAnnotation(value: unknown): AnnotationState {
  const a = (value ?? {}) as Record<string, unknown>;
  const path = requireString(a, 'path');
  const message = requireString(a, 'message');
  const level = requireString(a, 'annotation_level');
  if (!LEVELS.has(level)) throw unprocessable(`Invalid annotation_level "${level}"`);
  const startLine = a.start_line;
  const endLine = a.end_line;
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || (startLine as number) < 1 || (endLine as number) < (startLine as number)) {
    throw unprocessable('Invalid request.\n\nstart_line and end_line must be positive integers, end_line not before start_line.');
  }
  if ((a.start_column !== undefined || a.end_column !== undefined) && startLine !== endLine) {
    throw unprocessable('Invalid request.\n\nstart_column and end_column may only be used when start_line and end_line are the same.');
  }
  return {
    path,
    start_line: startLine as number,
    end_line: endLine as number,
    ...(a.start_column !== undefined ? { start_column: Number(a.start_column) } : {}),
    ...(a.end_column !== undefined ? { end_column: Number(a.end_column) } : {}),
    annotation_level: level as AnnotationState['annotation_level'],
    message,
    ...(typeof a.title === 'string' ? { title: a.title } : {}),
    ...(typeof a.raw_details === 'string' ? { raw_details: a.raw_details } : {}),
  };
}

function checkRunJson(repo: RepoState, run: CheckRunState): Record<string, unknown> {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    details_url: run.detailsUrl,
    external_id: run.externalId,
    output: { ...run.output, annotations_count: run.annotations.length },
    app: { id: run.appId },
    html_url: `https://github.example/${repo.fullName}/runs/${run.id}`,
  };
}
