import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { AccessRepo } from '../core/model.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { IamSystemRef } from '../ports.js';
import { selectSystems } from './plan.js';

/**
 * The account a read-out command reaches when there is no access directory yet (scoring or importing an
 * account before grantops manages it): the provider's own defaults (`--state FILE`, or the SDK's
 * credentials and endpoint) say which account it is.
 */
export const STANDALONE_SYSTEM: IamSystemRef = { id: 'account', config: { type: 'aws', accountId: '000000000000' } };

export interface AccountSystems {
  /** Absent when there is no access directory. */
  repo?: AccessRepo;
  systems: IamSystemRef[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/**
 * The systems a read-out command covers: those of grantops.yaml (or the ones `--system` names), or the
 * standalone account when the access directory does not exist. A directory that exists but does not
 * validate is an error: reading it wrongly would call managed access unmanaged.
 */
export async function resolveAccountSystems(options: { root: string; dir: string; now: Date; systems?: readonly string[]; snapshot?: RepoSnapshot }): Promise<AccountSystems> {
  const snapshot = options.snapshot ?? (await readAccessDir(options.root, options.dir));
  if (snapshot.files.length === 0 && snapshot.unreadable?.some((u) => /does not exist/.test(u.reason))) {
    return { systems: [STANDALONE_SYSTEM], diagnostics: [], ok: true };
  }
  const { repo, diagnostics } = loadAccessRepo(snapshot, options.now);
  if (hasErrors(diagnostics)) return { repo, systems: [], diagnostics, ok: false };
  const { systems, problems } = selectSystems(repo, options.systems);
  return { repo, systems, diagnostics: [...diagnostics, ...problems], ok: problems.length === 0 };
}
