import { diagnostic, type Diagnostic } from '../diagnostic.js';
import type { AccessRepo, SystemConfig } from '../model.js';
import { systemTypeOf } from '../systems/registry.js';
import type { SystemSnapshot } from '../systems/system-type.js';
import { locate } from '../yaml-source.js';

/**
 * `plan/wrong-account` at the system's grantops.yaml entry when the snapshot read is not of the configured
 * system (a state or credentials for another account would turn every difference into a mutation, and
 * every holding into someone else's); undefined when it is.
 */
export function findForeignSnapshotProblem(repo: AccessRepo, systemId: string, config: SystemConfig, snapshot: SystemSnapshot, refusing = 'refusing to plan against it'): Diagnostic | undefined {
  const foreign = systemTypeOf(config).findForeignSnapshot(config, snapshot);
  if (!foreign) return undefined;
  const orgFile = repo.org?.file ?? `${repo.dir}/grantops.yaml`;
  return diagnostic(orgFile, locate(repo.org?.source, ['systems', systemId, foreign.field]), 'plan/wrong-account', `system "${systemId}" ${foreign.message}; ${refusing}`);
}
