import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { runCli } from '../helpers/cli.js';
import { ORG, PEOPLE, RESOURCES, grantYaml } from '../helpers/repo.js';

/*
 * `grantops check` with a resource owned by a GitHub team. Away from GitHub the CLI cannot read who is in
 * the team: it takes the membership from `--teams FILE`, and without it refuses the rule with a located
 * error naming the option (never a pass, never a silent wait).
 */
const NOW = ['--now', '2026-11-23T12:00:00Z'];
const API = 'access/grants/dev/prod-api.yaml';
const teamOwned = RESOURCES['prod-db']!.replace('id: prod-db', 'id: prod-api').replace('owners: [res-owner]', 'owners: ["@vandelay/platform"]');

let root: string;
let git: SimpleGit;

async function commit(files: Record<string, string>, message: string): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  await git.add(['-A']);
  await git.raw(['-c', 'user.email=dev@test.example', '-c', 'user.name=Someone', 'commit', '-q', '-m', message]);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'grantops-check-teams-'));
  git = simpleGit({ baseDir: root });
  await git.init(['-q', '-b', 'main']);
  await commit({ 'access/grantops.yaml': ORG, 'access/people.yaml': PEOPLE, 'access/resources/aws-prod/prod-api.yaml': teamOwned }, 'rules');
  await git.checkoutLocalBranch('feature');
  await commit({ [API]: grantYaml({ user: 'dev', resource: 'prod-api', reason: 'debug OPS-1', expires: '2026-11-28T00:00:00Z', approvalExpires: '2027-01-10T00:00:00Z', status: 'active' }) }, 'request');
  writeFileSync(join(root, 'teams.yaml'), '"@vandelay/platform": [dev, dev2]\n');
  writeFileSync(join(root, 'bad-teams.yaml'), 'platform: [dev]\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const check = (...args: string[]) => runCli(['check', '--base', 'main', '--head', 'feature', '--author', 'dev', ...NOW, ...args], root);

it('refuses a team rule offline without --teams, located at the resource, saying how to give the membership', async () => {
  const run = await check();
  expect(run.code).toBe(2);
  expect(run.out).toMatch(/access\/resources\/aws-prod\/prod-api\.yaml:3:\d+ .*approval\/unfillable-role.*the members of team @vandelay\/platform are not known.*--teams FILE/);
});

it('judges with the membership of --teams: a member approves as owner, the grantee never does', async () => {
  const byGrantee = await check('--teams', 'teams.yaml', '--approvals', 'mgr,dev', '--format', 'json');
  expect(byGrantee.code).toBe(1);
  const grant = (JSON.parse(byGrantee.out) as { grants: { missing: { role: string; candidates: string[] }[] }[] }).grants[0]!;
  expect(grant.missing).toEqual([expect.objectContaining({ role: 'owner', candidates: ['dev2'] })]);
  const byMember = await check('--teams', 'teams.yaml', '--approvals', 'mgr,dev2');
  expect(byMember.code).toBe(0);
});

it('refuses a teams file that is not a mapping of teams to logins, naming the entry', async () => {
  const run = await check('--teams', 'bad-teams.yaml');
  expect(run.code).toBe(2);
  expect(run.err).toMatch(/bad-teams\.yaml: "platform" is not a team: write it as @org\/team-slug/);
});
