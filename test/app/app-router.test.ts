import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Probot } from 'probot';
import { parse } from 'yaml';
import grantopsApp, { defaultDeps, type AppDeps } from '../../src/app.js';
import type { CheckRunReport, PullRequestOverview, PullRequestPublisher, PullRequestReader } from '../../src/ports.js';
import { EvaluationMemory } from '../../src/usecases/evaluation-memory.js';
import { generateAppKey } from '../github-server/app-key.js';
import type { PullState, RepoState, ReviewState } from '../github-server/index.js';
import { GitHubState } from '../github-server/state.js';
import { checkRunRerequestedPayload, mergeGroupPayload, pullRequestPayload, reviewPayload } from './payloads.js';

/**
 * The router alone: the app function takes its dependencies as a parameter, so events are received
 * without HTTP or GitHub, and what the app asks of its reader and publisher is recorded.
 */
const KEY = generateAppKey();
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);

function fakes(accessTreeChanged = false) {
  const calls: string[] = [];
  const checks: CheckRunReport[] = [];
  const overview: PullRequestOverview = {
    facts: { author: 'dev', headSha: HEAD, changedFileCount: 1, reviews: [], requestedReviewers: [] },
    rulesAtBase: { dir: 'access', files: [] },
    accessTreeChanged,
  };
  const reader: PullRequestReader = {
    readOverview: async (target) => (calls.push(`overview #${target.number} ${target.headSha.slice(0, 1)}..${target.baseSha.slice(0, 1)}`), overview),
    readFacts: async () => (calls.push('facts'), overview.facts),
    listChangedPaths: async () => (calls.push('files'), [{ status: 'added', path: 'access/grants/dev/x.yaml' }]),
    readFiles: async () => (calls.push('contents'), new Map()),
    findPullRequestByHead: async () => (calls.push('find'), undefined),
    firstParent: async () => (calls.push('parent'), BASE),
    readGrants: async () => (calls.push('grants'), { dir: 'access', files: [] }),
    readRecordedFingerprints: async () => (calls.push('fingerprints'), []),
    readTeamMembers: async (org, slug) => (calls.push(`team @${org}/${slug}`), undefined),
  };
  const publisher: PullRequestPublisher = {
    publishCheck: async (_repo, report) => (checks.push(report), checks.length),
    findComment: async () => undefined,
    writeComment: async () => 1,
    requestReviewers: async () => ({ refused: [] }),
  };
  const deps: AppDeps = { dir: 'access', now: () => new Date('2026-06-01T00:00:00Z'), memory: new EvaluationMemory(), connect: () => ({ reader, publisher }) };
  return { calls, checks, deps };
}

async function receive(deps: AppDeps, name: string, payload: object): Promise<void> {
  const probot = new Probot({ appId: 1, privateKey: KEY, secret: 'x', logLevel: 'fatal' });
  await probot.load((app, options) => grantopsApp(app, options, deps));
  await probot.receive({ id: '1', name, payload } as Parameters<Probot['receive']>[0]);
}

const state = new GitHubState({ id: 1, slug: 'grantops' });
const repo = { id: 1, owner: state.user('vandelay'), name: 'access', fullName: 'vandelay/access' } as RepoState;
const pull = { number: 7, title: 't', body: '', state: 'open', author: 'dev', head: { ref: 'x', sha: HEAD }, base: { ref: 'main', sha: BASE }, reviews: [], requestedReviewers: [], createdAt: '' } as PullState;

describe('the app router', () => {
  it('judges an opened pull request at its head against its base', async () => {
    const { calls, checks, deps } = fakes();
    await receive(deps, 'pull_request', pullRequestPayload('opened', repo, pull));
    // The paths are listed even then: a workflow or attributes file outside access/ would be a rules change.
    expect(calls).toEqual(['overview #7 a..b', 'files']);
    expect(checks.map((c) => [c.headSha, c.conclusion])).toEqual([[HEAD, 'neutral']]);
  });

  it('ignores closed pull requests and other checks being re-run', async () => {
    const { calls, deps } = fakes();
    await receive(deps, 'pull_request', pullRequestPayload('edited', repo, { ...pull, state: 'closed' }));
    await receive(deps, 'check_run', checkRunRerequestedPayload(repo, HEAD, pull, 'lint'));
    expect(calls).toEqual([]);
  });

  it('skips a comment-only review of a head it has judged, and reads only the reviews for an approval', async () => {
    const { calls, checks, deps } = fakes(true);
    const review: ReviewState = { id: 1, user: 'mgr', state: 'COMMENTED', commitId: HEAD, submittedAt: '2026-06-01T00:00:00Z', body: '' };
    await receive(deps, 'pull_request', pullRequestPayload('opened', repo, pull));
    expect(calls).toEqual(['overview #7 a..b', 'files', 'contents']);
    expect(checks).toHaveLength(1);
    await receive(deps, 'pull_request_review', reviewPayload('submitted', repo, pull, review));
    expect(calls).toHaveLength(3);
    await receive(deps, 'pull_request_review', reviewPayload('submitted', repo, pull, { ...review, state: 'APPROVED' }));
    expect(calls.slice(3)).toEqual(['facts']);
  });

  it('names the pull request of a merge group from its queue branch, and fails a group it cannot name', async () => {
    const { calls, checks, deps } = fakes();
    await receive(deps, 'merge_group', mergeGroupPayload(repo, pull, 'c'.repeat(40), BASE));
    expect(calls).toEqual(['overview #7 c..b', 'files']);
    const unnamed = mergeGroupPayload(repo, pull, 'd'.repeat(40), BASE);
    unnamed.merge_group.head_ref = 'refs/heads/elsewhere';
    await receive(deps, 'merge_group', unnamed);
    expect(checks[1]).toMatchObject({ headSha: 'd'.repeat(40), conclusion: 'failure', title: 'Could not evaluate' });
  });

  it('reads the access directory from GRANTOPS_ACCESS_DIR, defaulting to access', () => {
    expect(defaultDeps({}).dir).toBe('access');
    expect(defaultDeps({ GRANTOPS_ACCESS_DIR: './org/access/' }).dir).toBe('org/access');
  });
});

describe('app.yml', () => {
  const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as {
    default_events: string[];
    default_permissions: Record<string, string>;
  };

  it('subscribes to exactly the events the app handles', async () => {
    const handled = new Set<string>();
    const recorder = { on: (events: string | string[]) => [events].flat().forEach((e) => handled.add(e.split('.')[0]!)) };
    grantopsApp(recorder as unknown as Probot, undefined, fakes().deps);
    expect([...handled].sort()).toEqual([...manifest.default_events].sort());
  });

  it('asks for the permissions the app uses, and no write access to contents', () => {
    expect(manifest.default_permissions).toMatchObject({ checks: 'write', pull_requests: 'write', contents: 'read', members: 'read' });
  });
});
