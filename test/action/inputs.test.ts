import { envInputReader, parseActionInputs } from '../../src/action/inputs.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseActionInputs', () => {
  it('fills the defaults action.yml documents', () => {
    expect(parseActionInputs(reader({ command: 'plan' }))).toEqual({ command: 'plan', dir: 'access', provider: 'aws', state: [], dryRun: false, githubToken: undefined });
  });

  it('reads every input into the typed object, state entries split on commas and new lines', () => {
    const inputs = parseActionInputs(reader({
      command: ' apply ',
      dir: 'org/access',
      provider: 'file',
      state: 'aws-prod=states/prod.json,\nstates/other.json\n',
      'dry-run': 'true',
      'github-token': 'ghs_x',
    }));
    expect(inputs).toEqual({ command: 'apply', dir: 'org/access', provider: 'file', state: ['aws-prod=states/prod.json', 'states/other.json'], dryRun: true, githubToken: 'ghs_x' });
  });

  it.each([
    [{ command: 'deploy' }, /input "command" is "deploy": expected one of plan, apply, expire, audit/],
    [{ command: '' }, /input "command" is "": expected one of/],
    [{ command: 'plan', provider: 'gcp' }, /input "provider" is "gcp": expected one of file, aws/],
    [{ command: 'plan', 'dry-run': 'maybe' }, /input "dry-run" is "maybe": expected true or false/],
    [{ command: 'plan', dir: '../elsewhere' }, /input "dir" is "..\/elsewhere": give a path inside the repository/],
    [{ command: 'plan', dir: '/etc' }, /input "dir" is "\/etc"/],
    [{ command: 'plan', provider: 'aws', state: 'x.json' }, /input "state" is for provider "file"/],
  ])('names the input at fault: %j', (values, message) => {
    expect(() => parseActionInputs(reader(values))).toThrow(message);
  });

  it('reads the runner\'s INPUT_ variables, dashes kept as @actions/core does', () => {
    const read = envInputReader({ INPUT_COMMAND: 'plan', 'INPUT_DRY-RUN': 'yes', 'INPUT_GITHUB-TOKEN': 't' });
    expect(parseActionInputs(read)).toMatchObject({ command: 'plan', dryRun: true, githubToken: 't' });
  });
});
