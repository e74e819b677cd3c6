import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import { planIdentityCenterImport } from '../../../src/core/import/plan-identity-center-import.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import { planIam } from '../../../src/core/plan/plan-iam.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';
import type { RepoFile } from '../../../src/core/repo-file.js';
import { identityCenterSnapshot, INSTANCE_ARN, IDENTITY_STORE_ID } from '../../helpers/identity-center.js';
import { ORG, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const FILES = {
  'access/grantops.yaml': `${ORG}  sso: { type: aws-identity-center, instanceArn: "${INSTANCE_ARN}", identityStoreId: ${IDENTITY_STORE_ID} }\n`,
  'access/people.yaml': `- { login: owner, name: Org Owner, roles: [executive], email: owner@x.example }
- { login: res-owner, name: Resource Owner, manager: owner }
- { login: kramer, name: Cosmo Kramer, manager: owner, email: kramer@x.example }
- { login: elaine, name: Elaine Benes, manager: owner, email: elaine@x.example }
- { login: jerry, name: Jerry, manager: owner, email: jerry@x.example }
`,
  // An existing resource for exactly A and B: adopting it is reuse, not a new file.
  'access/resources/sso/admin-ab.yaml': `id: admin-ab\nsystem: sso\nsensitivity: high\nowners: [owner]\ngrants: { permissionSet: Admin, accounts: ["${A}", "${B}"] }\n`,
};

let scorer: RiskScorer;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
});

function load(extra: readonly RepoFile[] = []) {
  const base = snapshot(FILES);
  const loaded = loadAccessRepo({ dir: 'access', files: [...base.files, ...extra] }, NOW);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.repo;
}

const state = identityCenterSnapshot({
  users: ['kramer@x.example', 'elaine@x.example', 'jerry@x.example', 'stranger@x.example'],
  permissionSets: ['Admin', 'ReadOnly'],
  assignments: [
    `kramer@x.example Admin ${A}`, `kramer@x.example Admin ${B}`, `kramer@x.example Admin ${C}`, // the widest set: the plain name
    `elaine@x.example Admin ${A}`, `elaine@x.example Admin ${B}`, // exactly admin-ab
    `jerry@x.example Admin ${C}`, // narrower: a resource of its own
    `jerry@x.example ReadOnly ${A}`,
    `stranger@x.example ReadOnly ${B}`,
  ],
  groupAssignments: [`Admin ${A}`],
});

describe('planIdentityCenterImport', () => {
  it('gives each person a resource for exactly the accounts they hold a permission set in, never wider', () => {
    const repo = load();
    const plan = planIdentityCenterImport({ snapshot: state, systemId: 'sso', dir: 'access', existing: { repo, text: new Map() }, scorer, now: NOW });
    expect(plan.resources.map((r) => `${r.id} ${r.target} ${r.sensitivity} ${r.created ? 'new' : 'existing'}`)).toEqual([
      `admin Admin@${A},${B},${C} critical new`,
      `admin-ab Admin@${A},${B} high existing`,
      `admin-${C} Admin@${C} critical new`,
      `read-only ReadOnly@${A} critical new`,
    ]);
    expect(plan.grants.map((g) => `${g.user} ${g.resource}`)).toEqual(['elaine admin-ab', `jerry admin-${C}`, 'jerry read-only', 'kramer admin']);
    expect(plan.skipped.map((s) => s.subject)).toEqual(['user/stranger@x.example', 'group/admins']);
    expect(plan.people).toEqual([
      { login: 'elaine', iamUser: 'elaine@x.example', created: false },
      { login: 'jerry', iamUser: 'jerry@x.example', created: false },
      { login: 'kramer', iamUser: 'kramer@x.example', created: false },
    ]);

    // Applied to the repository, the plan against the same instance adds and removes nothing.
    const after = load(plan.files);
    const planned = planIam(after, new Map([['sso', state]]), { now: NOW });
    expect(planned.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(planned.operations).toEqual([]);
  });

  it('suggests a sensitivity from a permission set\'s score when one is given', () => {
    const plan = planIdentityCenterImport({ snapshot: state, systemId: 'sso', dir: 'access', existing: { repo: load(), text: new Map() }, scorer, now: NOW, scorePermissionSet: () => ({ score: 0, categories: [] }) } as Parameters<typeof planIdentityCenterImport>[0]);
    expect(plan.resources.filter((r) => r.created).map((r) => r.sensitivity)).toEqual(['none', 'none', 'none']);
  });

  it('refuses to invent an organisation or its people', () => {
    expect(() => planIdentityCenterImport({ snapshot: state, systemId: 'sso', dir: 'access', scorer, now: NOW })).toThrow(/needs an access directory whose grantops.yaml names the system "sso"/);
  });
});
