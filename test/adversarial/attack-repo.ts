import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { baseOrgFiles } from '../app/fixtures.js';
import { RESOURCES } from '../helpers/repo.js';
import type { Attack, Files } from './attacks.js';

/** Writes an attack's files into a work tree: content, removal (files or whole folders), or a symlink. */
export function writeFiles(root: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    if (content === null) {
      rmSync(abs, { recursive: true, force: true });
    } else if (typeof content === 'object') {
      rmSync(abs, { recursive: true, force: true });
      mkdirSync(dirname(abs), { recursive: true });
      symlinkSync(content.symlink, abs);
    } else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
}

/** The rules with prod-db needing nobody: what a ref the attacker pushed would hold. */
export const LOWERED_RULES: Files = { 'access/resources/aws-prod/prod-db.yaml': `${RESOURCES['prod-db']!}sensitivity: none\n` };

export interface AttackRepo {
  root: string;
  git: SimpleGit;
  remove(): void;
}

/**
 * One real repository per attack, as `check` meets it: `main` with the org (and the attack's base files),
 * `feature` branched off it with the pull request's commit, main moved on when the attack says so, and
 * any refs the attacker pushed.
 */
export async function buildAttackRepo(attack: Attack): Promise<AttackRepo> {
  const root = mkdtempSync(join(tmpdir(), `grantops-attack-${attack.id}-`));
  const git = simpleGit({ baseDir: root });
  const commit = async (files: Files, message: string, email = 'owner@test.example') => {
    writeFiles(root, files);
    await git.raw(['add', '--all', '--', '.']);
    await git.raw(['-c', `user.email=${email}`, '-c', 'user.name=Someone', 'commit', '-q', '--allow-empty', '-m', message]);
    return (await git.revparse(['HEAD'])).trim();
  };
  await git.init(['-q', '-b', 'main']);
  appendFileSync(join(root, '.git', 'config'), '[commit]\n\tgpgsign = false\n');
  const base = await commit({ ...baseOrgFiles(), ...attack.base }, 'the organisation');
  const shas: Record<string, string> = { base };
  if (Object.values(attack.cli?.refs ?? {}).includes('lowered')) {
    await git.checkout(['-q', '--detach', base]);
    shas.lowered = await commit(LOWERED_RULES, 'lowered rules');
    await git.checkout(['-q', 'main']);
  }
  await git.checkout(['-q', '-b', 'feature']);
  shas.head = await commit(attack.head, attack.what, attack.cli?.email ?? `${attack.author}@test.example`);
  await git.checkout(['-q', 'main']);
  if (attack.baseLater) await commit(attack.baseLater, 'main moves on');
  for (const [ref, to] of Object.entries(attack.cli?.refs ?? {})) await git.raw(['update-ref', ref, shas[to]!]);
  return { root, git, remove: () => rmSync(root, { recursive: true, force: true }) };
}
