import { relative, resolve, sep } from 'node:path';
import { GitHubLifecycle } from '../adapters/github/lifecycle-github.js';
import { GitBranchWriter } from '../adapters/git/git-branch-writer.js';
import { LocalGitRefReader } from '../adapters/git/git-ref-reader.js';
import { findRepositoryRoot, readRemoteRepository } from '../adapters/git/repository-root.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { LifecycleGitHub } from '../ports.js';

/** Where a lifecycle command works: the repository, the access directory in it, as committed at HEAD. */
export interface Checkout {
  root: string;
  /** The access directory relative to `root`. */
  dir: string;
  git?: GitBranchWriter;
  /** The access directory at HEAD (what a branch is built on), or absent outside git. */
  snapshot?: RepoSnapshot;
}

/**
 * Resolves the access directory against the repository it sits in. Inside git, the files are read as
 * committed at HEAD, since that is what the branch will be built on: uncommitted edits stay out of it.
 */
export async function openCheckout(cwd: string, dir: string): Promise<Checkout> {
  const top = await findRepositoryRoot(cwd);
  if (!top) return { root: cwd, dir };
  const rel = relative(top, resolve(cwd, dir)).split(sep).join('/');
  const git = new GitBranchWriter(top);
  const head = await git.headCommit().catch(() => undefined);
  if (!head) return { root: top, dir: rel, git };
  const snapshot = await new LocalGitRefReader(top).readTree(head, rel);
  return { root: top, dir: rel, git, snapshot };
}

export interface GitHubChoice {
  repo?: string;
  remote: string;
}

/**
 * The GitHub connection for `--open-pr`: the token from GITHUB_TOKEN (or GH_TOKEN), the API from
 * GITHUB_API_URL (GitHub Enterprise Server), the repository from --repo, GITHUB_REPOSITORY or the
 * remote's URL. Throws a message naming what is missing.
 */
export async function connectGitHub(root: string, choice: GitHubChoice, env: NodeJS.ProcessEnv): Promise<LifecycleGitHub> {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new Error('--open-pr needs a GitHub token in GITHUB_TOKEN (or GH_TOKEN), e.g. GITHUB_TOKEN=$(gh auth token)');
  const repository = choice.repo ?? env.GITHUB_REPOSITORY ?? (await readRemoteRepository(root, choice.remote));
  if (!repository) throw new Error(`cannot tell the GitHub repository: pass --repo OWNER/NAME (the remote "${choice.remote}" is not a GitHub URL)`);
  return GitHubLifecycle.fromToken({ token, repository, baseUrl: env.GITHUB_API_URL || undefined });
}
