/** The Action's inputs (see `action.yml`), parsed once into a typed object before anything runs. */

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
   * `FILE` for every system and `SYSTEM=FILE` for one, as the CLI's repeatable `--state`.
   */
  state: string[];
  /** Compute and report the plan, change nothing. */
  dryRun: boolean;
  /** Reads pull requests and check runs to confirm where applied grants came from. */
  githubToken?: string;
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
  return {
    command,
    dir,
    provider,
    state,
    dryRun: parseBoolean('dry-run', get('dry-run')),
    githubToken: get('github-token') || undefined,
    notify: get('notify') === '' ? true : parseBoolean('notify', get('notify')),
  };
}

/** `@actions/core`'s convention: input `dry-run` arrives as the environment variable `INPUT_DRY-RUN`. */
export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
}
