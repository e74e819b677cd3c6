import { requireInstallation } from '../auth.js';
import { ApiError, bodyObject, notFound, paginate, requireString, unprocessable, type ApiRequest, type Router } from '../http.js';
import { userJson } from '../representations.js';
import type { GitHubState, IssueState, LabelState, RepoState } from '../state.js';
import { actingLogin } from '../user-tokens.js';

const DEFAULT_LABEL_COLOR = 'ededed';

/**
 * Issues and labels: create, list (pull requests included, as GitHub's issues listing does), edit.
 * A label named on a new issue is created when missing, as GitHub does for someone with push access.
 * With a collaborator list, assigning anyone else is refused like GitHub refuses it.
 */
export function registerIssueRecords(router: Router, state: GitHubState): void {
  const repoOf = (req: ApiRequest): RepoState => {
    requireInstallation(req.caller);
    return state.repository(req.params.owner!, req.params.repo!);
  };
  const stringList = (value: unknown, field: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw unprocessable(`Invalid request.\n\n"${field}" must be a list of strings.`);
    return value as string[];
  };
  const checkAssignees = (repo: RepoState, assignees: string[]) => {
    for (const login of assignees) {
      if (repo.collaborators && !repo.collaborators.has(login)) {
        throw unprocessable('Validation Failed', [{ value: login, resource: 'Issue', field: 'assignees', code: 'invalid' }]);
      }
    }
  };
  const ensureLabels = (repo: RepoState, names: string[]) => {
    for (const name of names) if (!repo.labels.has(name)) repo.labels.set(name, { name, color: DEFAULT_LABEL_COLOR, description: '' });
  };

  router.post('/repos/:owner/:repo/issues', (req) => {
    const repo = repoOf(req);
    const body = bodyObject(req);
    const title = requireString(body, 'title');
    const labels = stringList(body.labels, 'labels');
    const assignees = stringList(body.assignees, 'assignees');
    checkAssignees(repo, assignees);
    ensureLabels(repo, labels);
    const issue: IssueState = {
      number: repo.nextIssueNumber++,
      title,
      body: typeof body.body === 'string' ? body.body : '',
      state: 'open',
      author: actingLogin(state, req),
      labels,
      assignees,
      createdAt: state.timestamp(),
    };
    repo.issues.set(issue.number, issue);
    return { status: 201, body: issueJson(state, repo, issue) };
  });

  router.get('/repos/:owner/:repo/issues', (req) => {
    const repo = repoOf(req);
    const wanted = req.query.get('state') ?? 'open';
    const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
    const issues = [...repo.issues.values()]
      .filter((i) => (wanted === 'all' || i.state === wanted) && labels.every((l) => i.labels.includes(l)))
      .map((i) => ({ createdAt: i.createdAt, number: i.number, json: issueJson(state, repo, i) }));
    const pulls = labels.length > 0 ? [] : [...repo.pulls.values()]
      .filter((p) => wanted === 'all' || p.state === wanted)
      .map((p) => ({
        createdAt: p.createdAt,
        number: p.number,
        json: { number: p.number, title: p.title, body: p.body, state: p.state, user: userJson(state, p.author), labels: [], assignees: [], pull_request: { url: `/pulls/${p.number}` } },
      }));
    const all = [...issues, ...pulls].sort((a, b) => b.number - a.number).map((x) => x.json);
    return paginate(req, all);
  });

  router.get('/repos/:owner/:repo/issues/:number', (req) => {
    const repo = repoOf(req);
    const issue = repo.issues.get(Number(req.params.number));
    if (!issue) throw notFound();
    return { status: 200, body: issueJson(state, repo, issue) };
  });

  router.patch('/repos/:owner/:repo/issues/:number', (req) => {
    const repo = repoOf(req);
    const issue = repo.issues.get(Number(req.params.number));
    if (!issue) throw notFound();
    const body = bodyObject(req);
    if (typeof body.title === 'string') issue.title = body.title;
    if (typeof body.body === 'string') issue.body = body.body;
    if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
    if (body.labels !== undefined) {
      issue.labels = stringList(body.labels, 'labels');
      ensureLabels(repo, issue.labels);
    }
    if (body.assignees !== undefined) {
      const assignees = stringList(body.assignees, 'assignees');
      checkAssignees(repo, assignees);
      issue.assignees = assignees;
    }
    return { status: 200, body: issueJson(state, repo, issue) };
  });

  router.get('/repos/:owner/:repo/labels/:name', (req) => {
    const label = repoOf(req).labels.get(req.params.name!);
    if (!label) throw notFound();
    return { status: 200, body: labelJson(label) };
  });

  router.get('/repos/:owner/:repo/labels', (req) => paginate(req, [...repoOf(req).labels.values()].map(labelJson)));

  router.post('/repos/:owner/:repo/labels', (req) => {
    const repo = repoOf(req);
    const body = bodyObject(req);
    const name = requireString(body, 'name');
    if (repo.labels.has(name)) throw unprocessable('Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
    const color = typeof body.color === 'string' ? body.color : DEFAULT_LABEL_COLOR;
    if (!/^[0-9a-fA-F]{6}$/.test(color)) throw new ApiError(422, 'Validation Failed', [{ resource: 'Label', code: 'invalid', field: 'color' }]);
    const label: LabelState = { name, color, description: typeof body.description === 'string' ? body.description : '' };
    repo.labels.set(name, label);
    return { status: 201, body: labelJson(label) };
  });
}

function labelJson(label: LabelState): Record<string, unknown> {
  return { name: label.name, color: label.color, description: label.description, default: false };
}

function issueJson(state: GitHubState, repo: RepoState, issue: IssueState): Record<string, unknown> {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    user: userJson(state, issue.author),
    labels: issue.labels.map((name) => labelJson(repo.labels.get(name) ?? { name, color: DEFAULT_LABEL_COLOR, description: '' })),
    assignees: issue.assignees.map((login) => userJson(state, login)),
    created_at: issue.createdAt,
    html_url: `https://github.example/${repo.fullName}/issues/${issue.number}`,
  };
}
