import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { countOutcomes } from '../../src/action/action-report.js';
import { envInputReader, parseActionInputs } from '../../src/action/inputs.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}
const actionYml = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseActionInputs', () => {
  it('fills the defaults action.yml documents', () => {
    expect(parseActionInputs(reader({ command: 'plan' }))).toEqual({ command: 'plan', dir: 'access', provider: 'aws', state: [], dryRun: false, githubToken: undefined, notify: true });
  });

  it('reads every input into the typed object, state entries split on commas and new lines', () => {
    const inputs = parseActionInputs(reader({
      command: ' apply ',
      dir: 'org/access',
      provider: 'file',
      state: 'aws-prod=states/prod.json,\nstates/other.json\n',
      'dry-run': 'true',
      'github-token': 'ghs_x',
      notify: 'false',
    }));
    expect(inputs).toEqual({ command: 'apply', dir: 'org/access', provider: 'file', state: ['aws-prod=states/prod.json', 'states/other.json'], dryRun: true, githubToken: 'ghs_x', notify: false });
  });

  it.each([
    [{ command: 'deploy' }, /input "command" is "deploy": expected one of plan, apply, expire, audit/],
    [{ command: '' }, /input "command" is "": expected one of/],
    [{ command: 'plan', provider: 'gcp' }, /input "provider" is "gcp": expected one of file, aws/],
    [{ command: 'plan', 'dry-run': 'maybe' }, /input "dry-run" is "maybe": expected true or false/],
    [{ command: 'plan', notify: 'sometimes' }, /input "notify" is "sometimes": expected true or false/],
    [{ command: 'plan', dir: '../elsewhere' }, /input "dir" is "..\/elsewhere": give a path inside the repository/],
    [{ command: 'plan', dir: '/etc' }, /input "dir" is "\/etc"/],
    [{ command: 'plan', provider: 'aws', state: 'x.json' }, /input "state" is for provider "file"/],
    [{ command: 'apply', 'app-id': 'grantops' }, /input "app-id" is "grantops": give the grantops GitHub App's numeric id/],
    [{ command: 'apply', 'app-id': '0' }, /input "app-id" is "0"/],
    [{ command: 'apply', 'notes-key': 'hunter2' }, /input "notes-key": the notes key is 7 characters long: give at least 32 random characters/],
  ])('names the input at fault: %j', (values, message) => {
    expect(() => parseActionInputs(reader(values))).toThrow(message);
  });

  it('reads the app id as a number and the notes key trimmed', () => {
    const key = ' 0123456789abcdef0123456789abcdef ';
    expect(parseActionInputs(reader({ command: 'apply', 'app-id': ' 4242 ', 'notes-key': key }))).toMatchObject({ appId: 4242, notesKey: key.trim() });
  });

  it('reads the runner\'s INPUT_ variables, dashes kept as @actions/core does', () => {
    const read = envInputReader({ INPUT_COMMAND: 'plan', 'INPUT_DRY-RUN': 'yes', 'INPUT_GITHUB-TOKEN': 't' });
    expect(parseActionInputs(read)).toMatchObject({ command: 'plan', dryRun: true, githubToken: 't' });
  });
});

describe('action.yml', () => {
  it('declares the inputs the parser reads, with the same defaults', () => {
    expect(Object.keys(actionYml.inputs)).toEqual(['command', 'dir', 'provider', 'state', 'system', 'dry-run', 'github-token', 'app-id', 'notes-key', 'notify']);
    const fromDefaults = parseActionInputs((name) => (name === 'command' ? 'plan' : name === 'github-token' ? '' : actionYml.inputs[name]!.default ?? ''));
    expect(fromDefaults).toEqual(parseActionInputs(reader({ command: 'plan' })));
    expect(actionYml.inputs['github-token']!.default).toBe('${{ github.token }}');
  });

  it('declares every count run() sets as an output, and runs the bundle on node24', () => {
    const counts = countOutcomes({ command: 'plan', dryRun: false, rows: [], diagnostics: [], notes: [], ok: true });
    expect(Object.keys(actionYml.outputs).sort()).toEqual(Object.keys(counts).map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).concat('notifications-failed').sort());
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});

describe('the system input', () => {
  it('narrows the job to one system of grantops.yaml, and refuses what is not a system id', () => {
    expect(parseActionInputs(reader({ command: 'apply', system: 'aws-staging' })).system).toBe('aws-staging');
    expect(parseActionInputs(reader({ command: 'apply' })).system).toBeUndefined();
    expect(() => parseActionInputs(reader({ command: 'apply', system: '../x' }))).toThrow(/input "system" is "..\/x"/);
  });
});
