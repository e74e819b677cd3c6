import type { ChangedFile } from '../core/approval/approval-input.js';
import type { RepoSnapshot } from '../core/repo-file.js';

/** What an evaluation read for one head: fixed by the two SHAs, so it never needs reading again. */
export interface EvaluationInputs {
  rulesAtBase: RepoSnapshot;
  changes: ChangedFile[];
  /** Every path the pull request touches. */
  changedFiles: string[];
  /** Every grant at the base, read when the pull request changes the rules (the merged tree is validated). */
  grantsAtBase?: RepoSnapshot;
  /** What the head does to the access directory under the base's rules (approval-fingerprint.ts). */
  fingerprint?: string;
}

/** The check run last published for a head, and what it said. */
export interface PublishedCheck {
  id: number;
  /** Status, conclusion, title, summary and text: equal means nothing to update. */
  fingerprint: string;
  /** The annotations it carries (GitHub appends annotations, so different ones need a new run). */
  annotationsKey: string;
}

export interface HeadMemory {
  /** Absent when the head has nothing to judge (no access change, too many files): no event can change that. */
  inputs?: EvaluationInputs;
  /** The reviews the published outcome was judged on. */
  reviewsKey: string;
  check: PublishedCheck;
}

export interface PullMemory {
  commentId?: number;
  commentBody?: string;
  /** Everyone grantops has asked to review, so nobody is asked twice. */
  requested: string[];
  /** Digests of the notifications sent about this pull request, so a restart or a re-delivery does not repeat them. */
  notified?: string[];
}

/**
 * The app's memory between webhook deliveries, in process: per head SHA what was read and published
 * (so an event that changes nothing costs at most one request), per pull request its comment and
 * review requests. Bounded, least recently used first out. Evaluations of one pull request run one
 * at a time, so two deliveries never race to create two comments.
 */
export class EvaluationMemory {
  private readonly heads = new Map<string, HeadMemory>();
  private readonly pulls = new Map<string, PullMemory>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly maxHeads = 50,
    private readonly maxPulls = 1000,
  ) {}

  head(key: string): HeadMemory | undefined {
    return touch(this.heads, key);
  }

  rememberHead(key: string, value: HeadMemory): void {
    remember(this.heads, key, value, this.maxHeads);
  }

  forgetHead(key: string): void {
    this.heads.delete(key);
  }

  pull(key: string): PullMemory | undefined {
    return touch(this.pulls, key);
  }

  rememberPull(key: string, value: PullMemory): void {
    remember(this.pulls, key, value, this.maxPulls);
  }

  /** Runs `task` after every earlier task of the same key has settled. */
  serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}

function touch<V>(map: Map<string, V>, key: string): V | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}
