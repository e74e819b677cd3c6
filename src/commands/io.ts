import { InvalidArgumentError } from 'commander';

/** What a command writes and the exit code it leaves; injectable so tests run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  exitCode: number;
  /** The working directory commands resolve relative paths against. */
  cwd: string;
  /** The clock, for commands run without --now. */
  now(): Date;
  /** The environment commands read (default process.env); injectable so tests do not inherit a CI run's. */
  env?: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    exitCode: 0,
    cwd: process.cwd(),
    now: () => new Date(),
  };
}

/**
 * Exit codes shared by every command; `invalid`: the access directory (or the change) is invalid;
 * `failed`: it ran, but some change in the outside world did not succeed; `withheld`: a problem held back
 * some grants while everything else was applied; `usage`: the command line cannot be acted on (a bad
 * option, an ambiguous ref, an identity nobody can prove), as EX_USAGE of sysexits.
 */
export const EXIT = { ok: 0, pending: 1, invalid: 2, failed: 3, withheld: 4, usage: 64 } as const;

export function parseNowOption(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`"${value}" is not an ISO 8601 time`);
  return date;
}

export function choice<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
}
