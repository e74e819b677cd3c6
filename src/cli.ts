import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Help, type Option } from 'commander';
import { processIo, EXIT, type CliIo } from './commands/io.js';
import { UsageError } from './core/usage-error.js';
import { registerValidate } from './commands/validate.js';
import { registerPeople } from './commands/people.js';
import { registerPlan } from './commands/plan.js';
import { registerApply } from './commands/apply.js';
import { registerCheck } from './commands/check.js';
import { registerRisk } from './commands/risk.js';
import { registerInventory } from './commands/inventory.js';
import { registerImport } from './commands/import.js';
import { registerAudit } from './commands/audit.js';
import { registerExpire } from './commands/expire.js';
import { registerRequest } from './commands/request.js';
import { registerReport } from './commands/report.js';
import { registerSystems } from './commands/systems.js';

/**
 * Each command registers itself; this list is the only place that knows them all.
 *
 * Start-up: a command file imports at its top only commander, `./io.js`, small pure helpers its options
 * parse with, and types (`import type`). Everything its action runs (use cases, adapters, renderers, the
 * AWS SDK...) it loads inside the action with `await import(...)`, so `grantops --help` and every other
 * command do not pay for it. test/cli/startup.test.ts holds every command to that.
 */
const COMMANDS = [registerValidate, registerPeople, registerPlan, registerApply, registerRisk, registerInventory, registerImport, registerCheck, registerAudit, registerExpire, registerRequest, registerReport, registerSystems];

/**
 * Commands that also work on an account with no access repository yet (risk scores it, inventory lists it
 * all as unmanaged): their `--dir` need not exist when left at its default; one named with --dir must.
 */
const DIRECTORY_OPTIONAL_BY_DEFAULT = new Set(['risk', 'inventory']);
/** validate reports a missing or broken directory itself, as located diagnostics in the format asked for. */
const DIRECTORY_REPORTED_BY_COMMAND = new Set(['validate']);

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Help text (every subcommand inherits it): required options say so; an empty list is not a default worth showing. */
const HELP = {
  optionDescription(this: Help, option: Option): string {
    const shown = Array.isArray(option.defaultValue) && option.defaultValue.length === 0 ? Object.assign(Object.create(option) as Option, { defaultValue: undefined }) : option;
    const text = Help.prototype.optionDescription.call(this, shown);
    return option.mandatory ? `(required) ${text}` : text;
  },
};

/**
 * Every command with `--dir` reads an access directory: one that is missing, or is not a folder holding
 * grantops.yaml, is a usage error (exit 2) before anything runs, never an empty organisation.
 */
function checkAccessDir(command: Command, io: CliIo): void {
  const name = command.name();
  const dir = command.opts().dir as unknown;
  if (typeof dir !== 'string' || DIRECTORY_REPORTED_BY_COMMAND.has(name)) return;
  if (DIRECTORY_OPTIONAL_BY_DEFAULT.has(name) && command.getOptionValueSource('dir') === 'default') return;
  const path = resolve(io.cwd, dir);
  const kind = (p: string) => {
    try {
      return statSync(p).isDirectory() ? 'directory' : 'file';
    } catch {
      return 'missing';
    }
  };
  const found = kind(path);
  const where = `run it from the access repository's root or pass --dir with the folder that holds grantops.yaml`;
  if (found === 'missing') throw new Error(`no access directory "${dir}" (${path} does not exist): ${where}`);
  if (found === 'file') throw new Error(`"${dir}" is a file, not an access directory: ${where}`);
  if (kind(join(path, 'grantops.yaml')) !== 'file') throw new Error(`"${dir}" is not an access directory (it has no grantops.yaml): ${where}`);
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('grantops')
    .description('cloud access managed the way code is managed')
    .version(readVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .configureHelp(HELP)
    .showHelpAfterError()
    .hook('preAction', (_program, command) => checkAccessDir(command, io));
  for (const register of COMMANDS) register(program, io);
  return program;
}

/** Runs one command line and returns its exit code; never throws for a user's mistake. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.err(`grantops: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? EXIT.usage : EXIT.invalid;
  }
}
