/** The Action's inputs (see `action.yml`), parsed once into a typed object before anything runs. */

import { checkNotesKey } from '../core/note-authentication.js';

export const ACTION_COMMANDS = ['plan', 'apply', 'expire', 'audit'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export const PROVIDERS = ['file', 'aws'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface ActionInputs {
  command: ActionCommand;
  /** The access directory, relative to the workspace. */
  dir: string;
  provider: ProviderName;
  /**
   * The file provider's state files (get-account-authorization-details JSON), relative to the workspace:
   * `FILE` for the first aws system the job runs and `SYSTEM=FILE` for one, as the CLI's repeatable `--state`.
   */
  state: string[];
  /** Only this system of grantops.yaml (one job per system in a matrix); every system when absent. */
  system?: string;
  /** Compute and report the plan, change nothing. */
  dryRun: boolean;
  /** Reads pull requests and check runs to confirm where applied grants came from. */
  githubToken?: string;
  /** The grantops GitHub App's id: only its own `grantops` check runs confirm a pull request (apply needs it). */
  appId?: number;
  /**
   * The secret that seals the decision notes this workflow writes; only notes sealed with it stand in
   * for GitHub's word on a later run. Without it notes are written unsealed and never trusted.
   */
  notesKey?: string;
  /** Tell people through the channels of grantops.yaml; absent means yes. */
  notify?: boolean;
}

/** Reads one raw input: an empty string means "not given", as in `@actions/core`'s `getInput`. */
export type InputReader = (name: string) => string;

export class InputError extends Error {
  override name = 'InputError';
}

const TRUE = ['true', 'True', 'TRUE', 'yes', 'on', '1'];
const FALSE = ['false', 'False', 'FALSE', 'no', 'off', '0', ''];

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`input "${name}" is "${value}": expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function parseBoolean(name: string, value: string): boolean {
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(`input "${name}" is "${value}": expected true or false`);
}

/** Turns raw inputs into `ActionInputs`, or throws an `InputError` naming the input at fault. */
export function parseActionInputs(read: InputReader): ActionInputs {
  const get = (name: string) => read(name).trim();
  const command = oneOf('command', get('command'), ACTION_COMMANDS);
  const provider = oneOf('provider', get('provider') || 'aws', PROVIDERS);
  // Comma- or newline-separated, so a multi-line YAML value lists one file per line.
  const state = get('state').split(/[,\n]/).map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (provider === 'aws' && state.length > 0) {
    throw new InputError('input "state" is for provider "file"; provider "aws" reads the accounts themselves');
  }
  const dir = get('dir') || 'access';
  if (dir.startsWith('/') || dir.split('/').includes('..')) {
    throw new InputError(`input "dir" is "${dir}": give a path inside the repository`);
  }
  const appId = get('app-id');
  if (appId !== '' && !/^[1-9][0-9]*$/.test(appId)) {
    throw new InputError(`input "app-id" is "${appId}": give the grantops GitHub App's numeric id (its settings page shows it)`);
  }
  // Trimmed as the CLI trims a key file: a secret pasted with a trailing newline is the same key.
  const notesKey = get('notes-key');
  const keyProblem = notesKey === '' ? undefined : checkNotesKey(notesKey);
  if (keyProblem) throw new InputError(`input "notes-key": ${keyProblem}`);
  const system = get('system') || undefined;
  if (system !== undefined && !/^[a-z0-9][a-z0-9._-]*$/i.test(system)) {
    throw new InputError(`input "system" is "${system}": give one system id of grantops.yaml`);
  }
  return {
    command,
    dir,
    provider,
    state,
    ...(system ? { system } : {}),
    dryRun: parseBoolean('dry-run', get('dry-run')),
    githubToken: get('github-token') || undefined,
    ...(appId === '' ? {} : { appId: Number(appId) }),
    ...(notesKey === '' ? {} : { notesKey }),
    notify: get('notify') === '' ? true : parseBoolean('notify', get('notify')),
  };
}

/** `@actions/core`'s convention: input `dry-run` arrives as the environment variable `INPUT_DRY-RUN`. */
export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
}

/** The `system` input narrows a job to one system (a matrix job per system). */
export function systemsOf(inputs: Pick<ActionInputs, 'system'>): { systems?: string[] } {
  return inputs.system ? { systems: [inputs.system] } : {};
}
