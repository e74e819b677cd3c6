import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../adapters/file/atomic-write.js';
import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { diagnostic, hasErrors, START, type Diagnostic } from '../core/diagnostic.js';
import { SYSTEM_IMPORTS } from '../core/import/system-imports.js';
import { findForeignSnapshotProblem } from '../core/plan/foreign-snapshot.js';
import type { ImportPlan, planImport } from '../core/import/plan-import.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { RepoFile } from '../core/repo-file.js';
import type { IamProvider, IamSystemRef } from '../ports.js';
import { defaultRiskScorer } from './risk.js';

export interface ImportAccountOptions {
  root: string;
  /** The access directory to create or extend, relative to root. */
  out: string;
  provider: IamProvider;
  systemId?: string;
  now: Date;
  expires?: string;
}

export interface ImportAccountReport {
  plan?: ImportPlan;
  /** Problems of the existing directory, or of the result (then nothing is written). */
  diagnostics: Diagnostic[];
  written: string[];
  /** Why nothing was planned although the directory is valid (the system read is not the one named). */
  refused?: string;
}

const text = (content: RepoFile['content']) => (typeof content === 'string' ? content : new TextDecoder().decode(content));

/**
 * Reads the account and adopts it into the access directory. The result is validated in memory first;
 * only a result that validates is written (each file atomically), so a failed import leaves the
 * directory as it was.
 */
export async function importAccount(options: ImportAccountOptions): Promise<ImportAccountReport> {
  const before = await readAccessDir(options.root, options.out);
  const exists = before.files.length > 0;
  let existing: Parameters<typeof planImport>[0]['existing'];
  if (exists) {
    const loaded = loadAccessRepo(before, options.now);
    if (hasErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics, written: [] };
    existing = { repo: loaded.repo, text: new Map(before.files.map((f) => [f.path, text(f.content)])) };
  }
  const known = existing?.repo.org?.value.systems ?? {};
  const systemId = options.systemId ?? (Object.keys(known).length === 1 ? Object.keys(known)[0]! : 'aws');
  const system: IamSystemRef = { id: systemId, config: known[systemId] ?? { type: 'aws', accountId: '000000000000' } };

  const [snapshot, scorer] = await Promise.all([options.provider.readSnapshot(system), defaultRiskScorer()]);
  // A system grantops.yaml already names must be the one read: adopting another account's access into it would be wrong grants.
  const foreign = existing && known[systemId] ? findForeignSnapshotProblem(existing.repo, systemId, known[systemId], snapshot, 'refusing to import it') : undefined;
  if (foreign) return { diagnostics: [foreign], written: [], refused: `system "${systemId}" is not what was read; nothing was written` };
  if (snapshot.IdentityCenter && !known[systemId]) {
    const at = existing?.repo.org?.file ?? `${before.dir}/grantops.yaml`;
    return { diagnostics: [diagnostic(at, START, 'import/unknown-system', `the state read is an Identity Center instance: add it to grantops.yaml as system "${systemId}" (type: aws-identity-center, instanceArn, identityStoreId), and its people to people.yaml, then import; grantops does not invent the people of an instance`)], written: [], refused: 'nothing was written' };
  }
  const input = { snapshot, systemId, region: system.config.region, dir: before.dir, existing, scorer, now: options.now, expires: options.expires };
  const plan = SYSTEM_IMPORTS[system.config.type](input);

  const merged = new Map(before.files.map((f) => [f.path, f]));
  for (const file of plan.files) merged.set(file.path, file);
  const { diagnostics } = loadAccessRepo({ dir: before.dir, files: [...merged.values()] }, options.now);
  if (hasErrors(diagnostics)) return { plan, diagnostics, written: [] };

  for (const file of plan.files) {
    const path = join(options.root, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, file.content);
  }
  return { plan, diagnostics, written: plan.files.map((f) => f.path) };
}
