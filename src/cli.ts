import { Command, CommanderError } from 'commander';
import { processIo, EXIT, type CliIo } from './commands/io.js';
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

/** Each command registers itself; this list is the only place that knows them all. */
const COMMANDS = [registerValidate, registerPeople, registerPlan, registerApply, registerRisk, registerInventory, registerImport, registerCheck, registerAudit, registerExpire, registerRequest, registerReport, registerSystems];

export function buildProgram(io: CliIo): Command {
  const program = new Command('grantops')
    .description('cloud access managed the way code is managed')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
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
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    }
    io.err(`grantops: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.invalid;
  }
}
