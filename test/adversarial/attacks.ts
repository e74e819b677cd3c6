import { ORG, RESOURCES, grantYaml } from '../helpers/repo.js';

/*
 * Attacks on the approval, as someone with write access to the access repository would try them. Each is
 * data: the files on the base (on top of the small org of test/helpers/repo.ts), the pull request's files,
 * who opens it and who approves it, and the verdict both `grantops check` and the app must reach, with the
 * located diagnostic that says why. cli.test.ts and app.test.ts judge every one of them.
 *
 * The org: prod-* resources are high (manager + owner), logs-read is low (nobody). dev's manager is mgr,
 * mgr's is boss, boss's is owner (the org owner); res-owner owns both resources. Now is 2026-06-01.
 */
export const NOW = '2026-06-01T00:00:00Z';

/** Path -> content; null removes the file; `{ symlink }` makes the path a symbolic link to that target. */
export type Files = Record<string, string | null | { symlink: string }>;

export interface Verdict {
  status: 'invalid' | 'pending';
  /** A diagnostic the outcome must carry (invalid) at this file, under this rule, at this line when given. */
  diagnostic?: { file: string; rule: string; line?: number };
  /** For a pending outcome: the rules change (an org owner) must be among what is missing, for these paths. */
  rulesChange?: string[];
}

export interface Attack {
  id: string;
  /** The class of issue 11 it belongs to (1-8), or "invented". */
  class: string;
  what: string;
  base?: Files;
  /** Commits after the branch point on the base (the base tip moves on). */
  baseLater?: Files;
  head: Files;
  author: string;
  approvals: string[];
  verdict: Verdict;
  /** What `check` does differently: refuses the command line (exit 64) instead of judging. */
  cli?: {
    refusal: RegExp;
    /** Refs the attacker pushes: full name -> which commit (`base`, `head`, or `lowered`: the rules lowered). */
    refs?: Record<string, 'base' | 'head' | 'lowered'>;
    /** The names tried as --base (each must be refused); default main. */
    baseNames?: string[];
    /** Run without --author (the identity comes from nowhere the attacker cannot type). */
    noAuthor?: boolean;
    /** The head commit's author email. */
    email?: string;
  };
}

const grant = (user: string, resource: string, fields: Record<string, string> = {}) =>
  grantYaml({ user, resource, reason: 'Investigate OPS-1', expires: '2026-06-05T00:00:00Z', approvalExpires: '2026-07-01T00:00:00Z', status: 'active', ...fields });
const grantPath = (user: string, resource: string, ext = 'yaml') => `access/grants/${user}/${resource}.${ext}`;
const DEV_DB = grantPath('dev', 'prod-db');
const workflow = (dir: string) => `name: apply\non: push\njobs:\n  apply:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: vandelay/grantops@v1\n        with: { dir: ${dir} }\n`;
const orgWith = (extra: string) => `${ORG}${extra}`;
const bomb = `${'{a,b}'.repeat(30)}x`;

export const ATTACKS: Attack[] = [
  {
    id: 'ttl-dodge-expired-status',
    class: '1',
    what: 'a new grant written as status: expired with approvalExpires a year out (high allows 60d), approved once, renewable for a year',
    head: { [DEV_DB]: grant('dev', 'prod-db', { status: 'expired', approvalExpires: '2027-06-01T00:00:00Z' }) },
    author: 'dev',
    approvals: ['mgr', 'res-owner'],
    verdict: { status: 'invalid', diagnostic: { file: DEV_DB, rule: 'grant/approval-ttl', line: 5 } },
  },
  {
    id: 'renewal-of-an-approval-never-given',
    class: '1',
    what: 'a renewal (no reviewer) resting on an expired grant whose approvalExpires is beyond approvalTtl',
    base: { [DEV_DB]: grant('dev', 'prod-db', { status: 'expired', expires: '2026-05-20T00:00:00Z', approvalExpires: '2027-06-01T00:00:00Z' }) },
    head: { [DEV_DB]: grant('dev', 'prod-db', { expires: '2026-06-05T00:00:00Z', approvalExpires: '2027-06-01T00:00:00Z' }) },
    author: 'dev',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: DEV_DB, rule: 'grant/approval-ttl', line: 5 } },
  },
  {
    id: 'tag-named-like-the-base',
    class: '2',
    what: 'a pushed tag named main (and origin/main) on a commit whose rules make prod-db need nobody',
    head: { [DEV_DB]: grant('dev', 'prod-db') },
    author: 'dev',
    approvals: [],
    verdict: { status: 'pending' },
    cli: {
      refusal: /"(main|origin\/main)" is ambiguous: refs\/(heads|remotes)\/\1, refs\/tags\/\1 all answer to it.*pass refs\/(heads|remotes)\/\1 or a full SHA/,
      refs: { 'refs/tags/main': 'lowered', 'refs/remotes/origin/main': 'base', 'refs/tags/origin/main': 'lowered' },
      baseNames: ['main', 'origin/main'],
    },
  },
  {
    id: 'commit-email-of-the-manager',
    class: '3',
    what: 'dev commits as mgr (user.email) so that, believed, the manager role moves up to boss, who approves',
    head: { [DEV_DB]: grant('dev', 'prod-db') },
    author: 'dev',
    approvals: ['boss', 'res-owner'],
    verdict: { status: 'pending' },
    cli: { refusal: /cannot tell who asks.*never used/, noAuthor: true, email: 'mgr@test.example' },
  },
  {
    id: 'workflow-points-apply-elsewhere',
    class: '4',
    what: 'the apply workflow re-pointed at a shadow folder, touching nothing under access/',
    head: { '.github/workflows/apply.yml': workflow('shadow'), 'shadow/grantops.yaml': ORG },
    author: 'dev',
    approvals: ['mgr', 'res-owner'],
    verdict: { status: 'pending', rulesChange: ['.github/workflows/apply.yml'] },
  },
  {
    id: 'root-gitattributes',
    class: '4',
    what: 'a .gitattributes at the root that rewrites how access files are checked out',
    head: { '.gitattributes': 'access/** filter=lfs diff=lfs merge=lfs -text\n' },
    author: 'dev',
    approvals: ['mgr'],
    verdict: { status: 'pending', rulesChange: ['.gitattributes'] },
  },
  {
    id: 'unprotect-in-the-same-pull-request',
    class: '4',
    what: 'grantops.yaml sets protectedPaths: [] in the same pull request that changes the workflow',
    head: { 'access/grantops.yaml': orgWith('protectedPaths: []\n'), '.github/workflows/apply.yml': workflow('shadow') },
    author: 'dev',
    approvals: ['mgr'],
    verdict: { status: 'pending', rulesChange: ['.github/workflows/apply.yml', 'access/grantops.yaml'] },
  },
  {
    id: 'access-directory-replaced-by-a-symlink',
    class: '4',
    what: 'the access directory itself becomes a symlink to a folder of the attacker',
    head: {
      'shadow/grantops.yaml': ORG,
      'access/grantops.yaml': null,
      'access/people.yaml': null,
      'access/resources/aws-prod/prod-db.yaml': null,
      'access/resources/aws-prod/logs-read.yaml': null,
      access: { symlink: 'shadow' },
    },
    author: 'dev',
    approvals: ['mgr'],
    verdict: { status: 'invalid', diagnostic: { file: 'access/grantops.yaml', rule: 'file/missing' } },
  },
  {
    id: 'glob-bomb-in-defaults',
    class: '5',
    what: 'a defaults glob whose braces expand to 2^30 patterns, to stall the evaluator',
    head: { 'access/grantops.yaml': ORG.replace('- { resources: "prod-*", sensitivity: high }', `- { resources: "${bomb}", sensitivity: none }\n  - { resources: "prod-*", sensitivity: high }`) },
    author: 'dev',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: 'access/grantops.yaml', rule: 'rules/glob', line: 10 } },
  },
  {
    id: 'backtracking-glob',
    class: '5',
    what: 'an extended glob built to backtrack exponentially on a long resource id',
    head: { 'access/grantops.yaml': ORG.replace('- { resources: "prod-*", sensitivity: high }', `- { resources: "${'+(a|aa)'.repeat(12)}b", sensitivity: none }\n  - { resources: "prod-*", sensitivity: high }`) },
    author: 'dev',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: 'access/grantops.yaml', rule: 'rules/glob', line: 10 } },
  },
  {
    id: 'upper-case-extension',
    class: '6',
    what: 'a grant saved as .YAML, which a case-sensitive reader skips and a case-insensitive one applies',
    head: { [grantPath('dev', 'prod-db', 'YAML')]: grant('dev', 'prod-db') },
    author: 'dev',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: grantPath('dev', 'prod-db', 'YAML'), rule: 'layout/unexpected-file' } },
  },
  {
    id: 'folder-named-like-a-grant',
    class: '6',
    what: 'a folder named prod-db.yaml holding a file, where a grant file should be',
    head: { [`${DEV_DB}/grant`]: grant('dev', 'prod-db') },
    author: 'dev',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: `${DEV_DB}/grant`, rule: 'layout/unexpected-file' } },
  },
  {
    id: 'user-folder-symlink',
    class: '6',
    what: "dev2's grants folder made a symlink to dev's, so dev2 would hold whatever dev is granted",
    base: { [DEV_DB]: grant('dev', 'prod-db') },
    head: { 'access/grants/dev2': { symlink: 'dev' } },
    author: 'dev2',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: 'access/grants/dev2', rule: 'layout/unexpected-file' } },
  },
  {
    id: 'attributes-inside-the-access-directory',
    class: '6',
    what: 'access/.gitattributes making checkouts rewrite the grant files',
    head: { 'access/.gitattributes': '*.yaml filter=rewrite\n' },
    author: 'dev',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: 'access/.gitattributes', rule: 'layout/unexpected-file' } },
  },
  {
    id: 'non-yaml-under-resources',
    class: '6',
    what: 'a non-YAML file under resources/, skipped by check and breaking validate after the merge',
    head: { 'access/resources/aws-prod/prod-db.json': '{"id": "prod-db"}\n' },
    author: 'dev',
    approvals: ['owner'],
    verdict: { status: 'invalid', diagnostic: { file: 'access/resources/aws-prod/prod-db.json', rule: 'layout/unexpected-file' } },
  },
  {
    id: 'yml-extension',
    class: '6',
    what: 'a grant saved as .yml',
    head: { [grantPath('dev', 'prod-db', 'yml')]: grant('dev', 'prod-db') },
    author: 'dev',
    approvals: [],
    verdict: { status: 'invalid', diagnostic: { file: grantPath('dev', 'prod-db', 'yml'), rule: 'layout/unexpected-file' } },
  },
  {
    id: 'delete-resource-under-live-grants',
    class: '7',
    what: 'the resource file deleted (owner approves) while grants still name it: the merged tree would not validate',
    base: { [grantPath('dev', 'logs-read')]: grant('dev', 'logs-read') },
    head: { 'access/resources/aws-prod/logs-read.yaml': null },
    author: 'res-owner',
    approvals: ['owner'],
    verdict: { status: 'invalid', diagnostic: { file: 'access/resources/aws-prod/logs-read.yaml', rule: 'approval/dangling-grants' } },
  },
  {
    id: 'before-state-moved-on',
    class: '8',
    what: 'a "renewal" of a grant main has since deleted: judged against the merge base it needs nobody; against the base tip it is a new request',
    base: { [DEV_DB]: grant('dev', 'prod-db', { status: 'expired', expires: '2026-05-20T00:00:00Z' }) },
    baseLater: { [DEV_DB]: null },
    head: { [DEV_DB]: grant('dev', 'prod-db') },
    author: 'dev',
    approvals: [],
    verdict: { status: 'pending' },
    // The base deleted the file the head changes: the merge would combine two edits neither side shows.
    cli: { refusal: /prod-db\.yaml changed both on main and on the head/ },
  },
  {
    id: 'shorten-max-access-under-grants',
    class: 'invented',
    what: 'an owner-approved rules change shortening high to 1d while a grant runs for 4 more days: apply would stop on the merged tree',
    base: { [DEV_DB]: grant('dev', 'prod-db') },
    head: { 'access/grantops.yaml': ORG.replace('high:     { approvers: [manager, owner], maxAccess: 7d', 'high:     { approvers: [manager, owner], maxAccess: 1d') },
    author: 'mgr',
    approvals: ['owner'],
    verdict: { status: 'invalid', diagnostic: { file: DEV_DB, rule: 'grant/max-access', line: 4 } },
  },
  {
    id: 'remove-a-person-with-grants',
    class: 'invented',
    what: 'a person removed from people.yaml while their grant stays',
    base: { [grantPath('dev2', 'logs-read')]: grant('dev2', 'logs-read') },
    head: { 'access/people.yaml': '- { login: owner, name: Org Owner, roles: [executive], aws: { user: owner } }\n- { login: boss, name: Big Boss, manager: owner, aws: { user: boss } }\n- { login: mgr, name: Manager, manager: boss, aws: { user: mgr } }\n- { login: dev, name: Developer, manager: mgr, aws: { user: dev } }\n- { login: res-owner, name: Resource Owner, manager: boss, aws: { user: res-owner } }\n' },
    author: 'mgr',
    approvals: ['owner'],
    verdict: { status: 'invalid', diagnostic: { file: grantPath('dev2', 'logs-read'), rule: 'ref/unknown-person', line: 1 } },
  },
  {
    id: 'lower-the-bar-and-ask-at-once',
    class: 'invented',
    what: 'prod-db lowered to none in the same pull request that asks for it: judged by the base (high) and the rules change needs an org owner',
    head: { 'access/resources/aws-prod/prod-db.yaml': `${RESOURCES['prod-db']!}sensitivity: none\n`, [DEV_DB]: grant('dev', 'prod-db') },
    author: 'dev',
    approvals: [],
    verdict: { status: 'pending', rulesChange: ['access/resources/aws-prod/prod-db.yaml'] },
  },
];

/** The honest request the attacks imitate: both judges must approve it, so a "not approved" above means something. */
export const CONTROL: Omit<Attack, 'verdict'> = {
  id: 'honest-request',
  class: 'control',
  what: 'dev asks for prod-db; mgr (manager) and res-owner (owner) approve',
  base: {},
  head: { [DEV_DB]: grant('dev', 'prod-db') },
  author: 'dev',
  approvals: ['mgr', 'res-owner'],
};
