import { judgeRatification, type BreakGlassRatification } from '../core/approval/ratify-break-glass.js';
import { breakGlassUsedEvent } from '../core/break-glass/break-glass-events.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { GrantFile } from '../core/model.js';
import { parseYamlFile } from '../core/yaml-source.js';
import type { NotificationReport } from '../core/notify/notification-report.js';
import type { Notifier, PullRequestPublisher, PullRequestReader, PullRequestTarget } from '../ports.js';
import { RATIFICATION_COMMENT_MARKER, renderRatificationCheckRun, renderRatificationComment } from '../render/break-glass-markdown.js';
import { readChanges } from './evaluate-pull-request.js';

export interface BreakGlassFollowUpRequest {
  /** The merged pull request: its final head and the base it was judged against. */
  target: PullRequestTarget;
  dir: string;
  mergedAt: Date;
  now: Date;
  /** `merged`: the use begins (owners and org owners are told); `reviewed`: a review may have ratified it. */
  trigger: 'merged' | 'reviewed';
  url?: string;
  title?: string;
}

export interface BreakGlassFollowUpDeps {
  reader: PullRequestReader;
  publisher: PullRequestPublisher;
  notifier?: Notifier;
}

export interface BreakGlassFollowUpReport {
  /** One per break-glass grant of the pull request; empty when it had none (nothing was written). */
  ratifications: BreakGlassRatification[];
  notifications?: NotificationReport;
}

/**
 * After a break-glass pull request is merged: judge its ratification (ratify-break-glass.ts) from the
 * reviews GitHub holds, publish it as the `grantops/ratification` check on the merged head and in one
 * comment that mentions who can still ratify, and, at the merge, tell the owners and org owners. A merged
 * pull request without break-glass grants costs the reads and writes nothing.
 */
export async function followUpBreakGlass(request: BreakGlassFollowUpRequest, deps: BreakGlassFollowUpDeps): Promise<BreakGlassFollowUpReport> {
  const { target, dir, now, mergedAt } = request;
  const overview = await deps.reader.readOverview(target, dir);
  if (!overview.accessTreeChanged) return { ratifications: [] };
  const listed = await deps.reader.listChangedPaths(target);
  const changes = await readChanges(deps.reader, target, dir, listed);
  const pr = { author: overview.facts.author, headSha: target.headSha, baseSha: target.baseSha, changedFiles: changes.map((c) => c.path), reviews: overview.facts.reviews };
  const ratifications = judgeRatification({ rulesAtBase: overview.rulesAtBase, changes, pr, mergedAt, now });
  if (ratifications.length === 0) return { ratifications };

  await deps.publisher.publishCheck(target, renderRatificationCheckRun(ratifications, target.headSha));
  const existing = await deps.publisher.findComment(target, RATIFICATION_COMMENT_MARKER);
  const body = renderRatificationComment(ratifications);
  if (existing?.body !== body) await deps.publisher.writeComment(target, body, existing?.id);

  if (request.trigger !== 'merged' || !deps.notifier) return { ratifications };
  const { repo } = loadAccessRepo(overview.rulesAtBase, mergedAt);
  const heads = new Map(changes.map((c) => [c.path, c.head]));
  const ctx = {
    repo,
    at: mergedAt,
    repository: `${target.owner}/${target.repo}`,
    pullRequest: { number: target.number, author: pr.author, ...(request.url ? { url: request.url } : {}), ...(request.title ? { title: request.title } : {}) },
  };
  const events = ratifications.map((r) => {
    const grant = readGrant(r.file, heads.get(r.file));
    return breakGlassUsedEvent(ctx, r, grant?.reason ?? '', grant?.expires);
  });
  return { ratifications, notifications: await deps.notifier.notify(events, repo) };
}

function readGrant(path: string, content: string | Uint8Array | undefined): Partial<GrantFile> | undefined {
  if (content === undefined) return undefined;
  const value = parseYamlFile(path, content).value;
  return typeof value === 'object' && value !== null ? (value as Partial<GrantFile>) : undefined;
}
