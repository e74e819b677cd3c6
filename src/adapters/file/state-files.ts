import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The example account that ships with the repository: the first aws system's state when none is named. */
export const DEFAULT_STATE_FILE = 'examples/aws-state.json';

/** Where any other system's state is found when none is named: `<dir>/<system id>.json`. */
export const STATE_DIR = 'examples/state';

/** A system id that is a plain file name (no folder, no `..`). */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A system of grantops.yaml as the file provider needs it: its id and type, in the file's order. */
export interface OrganisationSystem {
  id: string;
  type: string;
}

export interface StateFiles {
  /** `--state SYSTEM=FILE`. */
  named: Readonly<Record<string, string>>;
  /** `--state FILE`: the state of the system `primaryStateSystem` picks. */
  unnamed?: string;
  /**
   * The systems of grantops.yaml, in its order; absent when there is no organisation to read (an account
   * outside any access directory), and then every system not named reads the unnamed state.
   */
  organisation?: readonly OrganisationSystem[];
  /** The ids the command is narrowed to (`--system`); every system when empty. */
  selected?: readonly string[];
}

/** Whose state an unnamed `--state FILE` is: the first aws system the command works on, else its first system. */
export function primaryStateSystem(systems: readonly OrganisationSystem[]): string | undefined {
  return (systems.find((s) => s.type === 'aws') ?? systems[0])?.id;
}

/**
 * The state file of one system, relative to the working directory, and whether it was given or follows
 * from the convention (decision 0054): a named state; the unnamed one for the first aws system the
 * command works on (after `--system`); else by convention, whatever `--system` says:
 * `examples/aws-state.json` for the first aws system of grantops.yaml and `examples/state/<id>.json` for
 * every other. A system grantops.yaml does not list (an account outside any access directory, an
 * import) reads the unnamed state, or the default when nothing is named at all. Never another system's
 * state: a file that does not exist is an error of that system alone, never an empty account.
 */
export function stateFileOf(systemId: string, files: StateFiles): { path: string; given: boolean } {
  const named = files.named[systemId];
  if (named) return { path: named, given: true };
  const organisation = files.organisation ?? [];
  if (!organisation.some((s) => s.id === systemId)) {
    if (files.unnamed) return { path: files.unnamed, given: true };
    if (Object.keys(files.named).length > 0) throw new Error(`no state file for system "${systemId}": pass --state FILE (or --state ${systemId}=FILE)`);
    return { path: DEFAULT_STATE_FILE, given: false };
  }
  const selected = files.selected?.length ? organisation.filter((s) => files.selected!.includes(s.id)) : organisation;
  if (files.unnamed && primaryStateSystem(selected) === systemId) return { path: files.unnamed, given: true };
  if (organisation.find((s) => s.type === 'aws')?.id === systemId) return { path: DEFAULT_STATE_FILE, given: false };
  // grantops.yaml may name a system anything: only a plain name becomes a path, never one that leaves the folder.
  if (!FILE_NAME.test(systemId)) throw new Error(`system "${systemId}" cannot name a state file in ${STATE_DIR}: give one with --state SYSTEM=FILE`);
  return { path: join(STATE_DIR, `${systemId}.json`), given: false };
}

/**
 * The systems of `<root>/<dir>/grantops.yaml` in their order; undefined when the file cannot be read or
 * has no systems map (then the command itself reports the directory's problems before any state is read).
 */
export function readOrganisationSystems(root: string, dir: string): OrganisationSystem[] | undefined {
  let systems: unknown;
  try {
    systems = (parse(readFileSync(join(root, dir, 'grantops.yaml'), 'utf8')) as { systems?: unknown } | null)?.systems;
  } catch {
    return undefined;
  }
  if (systems === null || typeof systems !== 'object' || Array.isArray(systems)) return undefined;
  return Object.entries(systems as Record<string, { type?: unknown } | null>).map(([id, config]) => ({ id, type: typeof config?.type === 'string' ? config.type : '' }));
}
