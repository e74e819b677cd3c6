import { parse } from 'yaml';
import { mergePeopleYaml, renderPerson } from '../../../src/core/people-import/merge-people-yaml.js';
import type { Person } from '../../../src/core/model.js';

const FILE = 'access/people.yaml';
const PEOPLE = `# Everyone. Comments stay.
- { login: art, name: Art Vandelay, roles: [executive], aws: { user: art } }   # the boss
# Engineering
- { login: jerry, name: Jerry Seinfeld, manager: art, aws: { user: jerry } }
- login: elaine      # written as a block
  name: Elaine Benes # her name
  manager: art

# end of list
`;

describe('mergePeopleYaml', () => {
  it('appends new people as one line each and leaves every other byte alone', () => {
    const babs: Person = { login: 'babs', name: 'Babs Kramer', email: 'babs@vandelay.example', manager: 'jerry', roles: ['dev', 'oncall'], aws: { user: 'babs.kramer' } };
    const result = mergePeopleYaml(FILE, PEOPLE, [babs]);
    expect(result).toMatchObject({ added: ['babs'], updated: [], unchanged: [], diagnostics: [] });
    expect(result.text).toBe(`${PEOPLE}- { login: babs, name: Babs Kramer, email: babs@vandelay.example, manager: jerry, roles: [dev, oncall], aws: { user: babs.kramer } }\n`);
  });

  it('updates a person written as a flow map in place: changed values replaced, new ones in field order', () => {
    const result = mergePeopleYaml(FILE, PEOPLE, [{ login: 'jerry', name: 'Jerry Seinfeld', email: 'jerry@vandelay.example', roles: ['comedian'], aws: { user: 'jerry.seinfeld' } }]);
    expect(result).toMatchObject({ added: [], updated: ['jerry'], unchanged: [] });
    expect(result.text).toBe(
      PEOPLE.replace(
        '- { login: jerry, name: Jerry Seinfeld, manager: art, aws: { user: jerry } }',
        '- { login: jerry, name: Jerry Seinfeld, email: jerry@vandelay.example, manager: art, roles: [comedian], aws: { user: jerry.seinfeld } }',
      ),
    );
  });

  it('updates a person written as a block map, keeping its comments and indentation', () => {
    const result = mergePeopleYaml(FILE, PEOPLE, [{ login: 'elaine', name: 'Elaine M. Benes', email: 'elaine@vandelay.example', aws: { user: 'elaine' } }]);
    expect(result.updated).toEqual(['elaine']);
    expect(result.text).toBe(
      PEOPLE.replace(
        '- login: elaine      # written as a block\n  name: Elaine Benes # her name\n  manager: art\n',
        '- login: elaine      # written as a block\n  name: Elaine M. Benes # her name\n  email: elaine@vandelay.example\n  manager: art\n  aws: { user: elaine }\n',
      ),
    );
  });

  it('keeps a value the row leaves empty, and reports a person whose row changes nothing as unchanged', () => {
    const result = mergePeopleYaml(FILE, PEOPLE, [{ login: 'art', name: 'Art Vandelay' }, { login: 'jerry', name: 'Jerry Seinfeld', manager: 'art' }]);
    expect(result).toMatchObject({ added: [], updated: [], unchanged: ['art', 'jerry'], text: PEOPLE });
  });

  it('starts a new people.yaml when there is none, or only comments', () => {
    const ann: Person = { login: 'ann', name: 'Ann' };
    expect(mergePeopleYaml(FILE, undefined, [ann]).text).toBe('- { login: ann, name: Ann }\n');
    expect(mergePeopleYaml(FILE, '# nobody yet', [ann]).text).toBe('# nobody yet\n- { login: ann, name: Ann }\n');
  });

  it('quotes only the values YAML needs quoted, and they read back as the same strings', () => {
    const odd: Person = { login: 'odd', name: 'Chiles, Jackie: Esq. # yes', email: 'no', manager: 'null', roles: ['123', 'true', '[x]'] };
    const line = renderPerson(odd);
    expect(line).toContain('name: "Chiles, Jackie: Esq. # yes"');
    expect(parse(line)).toEqual(odd);
    const result = mergePeopleYaml(FILE, PEOPLE, [odd]);
    expect((parse(result.text!) as Person[]).at(-1)).toEqual(odd);
  });

  it.each([
    ['a map', 'art: { name: Art }\n', 1],
    ['a flow list', '[{ login: art, name: Art }]\n', 1],
    ['a YAML syntax error', '- { login: art, name: Art\n', 2],
  ])('refuses people.yaml that is %s, with a located diagnostic and no text', (_what, text, line) => {
    const result = mergePeopleYaml(FILE, text, [{ login: 'ann', name: 'Ann' }]);
    expect(result.text).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ file: FILE, line, rule: 'people/not-a-list' })]);
  });
});
