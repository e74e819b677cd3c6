import { readFile } from 'node:fs/promises';
import { posix, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { GitAuditHistory } from '../adapters/git/history.js';
import { LocalGitRefReader, findRepoRoot } from '../adapters/git/git-ref-reader.js';
import { GitDecisionNotes } from '../adapters/git/notes.js';
import { normalizeDir } from '../adapters/git/read-tree-at-ref.js';
import { checkNotesKey } from '../core/note-authentication.js';
import { renderAuditCsv } from '../render/audit-csv.js';
import { renderAuditJson } from '../render/audit-json.js';
import { renderAuditMarkdown } from '../render/audit-md.js';
import { auditRepository } from '../usecases/audit.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

type AuditFormat = 'md' | 'json' | 'csv';

interface AuditOptions {
  dir: string;
  since?: Date;
  until?: Date;
  user?: string;
  resource?: string;
  format: AuditFormat;
  verify?: boolean;
  now?: Date;
  notesKeyFile?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function parseDate(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) throw new InvalidArgumentError(`"${value}" is not a date (YYYY-MM-DD or ISO 8601)`);
  return parseNowOption(value);
}

/** `--until 2026-11-30` means up to the end of that day. */
function parseUntil(value: string): Date {
  const date = parseDate(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(date.getTime() + DAY_MS - 1) : date;
}

/**
 * `grantops audit`: every grant's lifecycle from git history and the decision notes. Exit 0; with --verify,
 * exit 1 when a change lacks a decision record or its record does not satisfy the rules of its time.
 */
export function registerAudit(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description('per-grant lifecycle from git history and decision notes; --verify exits 1 on any change without a valid decision')
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--since <date>', 'only events from this date (YYYY-MM-DD or ISO 8601)', parseDate)
    .option('--until <date>', 'only events up to this date (a bare date includes the whole day)', parseUntil)
    .option('--user <login>', 'only this person')
    .option('--resource <id>', 'only this resource')
    .option('--format <format>', 'md | json | csv', choice<AuditFormat>(['md', 'json', 'csv']), 'md')
    .option('--verify', 're-evaluate every recorded decision with the rules as they stood; exit 1 on any finding')
    .option('--now <iso>', 'judge "active" and "expired" at this time', parseNowOption)
    .option('--notes-key-file <file>', 'the apply workflow\'s notes key (default: $GRANTOPS_NOTES_KEY): records it did not seal are reported and not trusted')
    .action(async (opts: AuditOptions) => {
      const notesKey = await readNotesKey(opts.notesKeyFile, io);
      const root = await findRepoRoot(io.cwd).catch(() => {
        throw new Error('not inside a git repository: audit reads the history of a clone of the access repository');
      });
      const dir = normalizeDir(relative(root, resolve(io.cwd, opts.dir)).split(sep).join(posix.sep));
      const report = await auditRepository(
        { history: new GitAuditHistory(root), notes: new GitDecisionNotes(root), refs: new LocalGitRefReader(root) },
        {
          dir,
          now: opts.now ?? io.now(),
          verify: opts.verify === true,
          ...(notesKey === undefined ? {} : { notesKey }),
          filter: {
            ...(opts.since && { since: opts.since }),
            ...(opts.until && { until: opts.until }),
            ...(opts.user !== undefined && { user: opts.user }),
            ...(opts.resource !== undefined && { resource: opts.resource }),
          },
        },
      );
      const grouping = opts.resource !== undefined && opts.user === undefined ? 'resource' : 'person';
      io.out(opts.format === 'json' ? renderAuditJson(report) : opts.format === 'csv' ? renderAuditCsv(report) : renderAuditMarkdown(report, grouping));
      // What the audit cannot see goes to stderr too, so a pipeline into a file still tells the person.
      if (opts.format !== 'md') {
        if (report.coverage.shallow) io.err(`grantops audit: ${report.coverage.shallow.message}`);
        if (report.coverage.notesMissing) io.err(`grantops audit: ${report.coverage.notesMissing}`);
      }
      if (opts.verify && notesKey === undefined) {
        io.err('grantops audit: the decision records\' seals were not checked (no notes key: --notes-key-file or GRANTOPS_NOTES_KEY): a record anybody with push access wrote would pass');
      }
      if (report.findings && report.findings.length > 0) {
        io.err(`grantops audit --verify: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`);
        for (const f of report.findings) io.err(`  ${f.rule} ${f.commit.slice(0, 7)} ${f.message}`);
        io.exitCode = EXIT.pending;
      } else {
        io.exitCode = EXIT.ok;
      }
    });
}

/** The notes key from `--notes-key-file`, else `GRANTOPS_NOTES_KEY`; a key too weak to trust is refused. */
async function readNotesKey(file: string | undefined, io: CliIo): Promise<string | undefined> {
  const key = file === undefined ? process.env.GRANTOPS_NOTES_KEY || undefined : (await readFile(resolve(io.cwd, file), 'utf8')).trim();
  if (key === undefined) return undefined;
  const problem = checkNotesKey(key);
  if (problem) throw new Error(`${file === undefined ? 'GRANTOPS_NOTES_KEY' : file}: ${problem}`);
  return key;
}
