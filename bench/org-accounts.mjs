// The AWS Organization bench/orgs.mjs reconciles against moto: N accounts (`type: aws` systems, each with
// its own connector role) and one Identity Center instance (`type: aws-identity-center`, its connector in
// the management account), 50 grants per account: 40 IAM grants (two customer managed policies, a group,
// an inline policy, a role's trust) of 10 IAM users, and 10 permission-set assignments (5 permission sets,
// each resource covering a slice of 20 accounts, held by 2 people). Writes the access directory, seeds
// moto as an earlier apply would have left it, and makes the 10 changes. Not a test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { CreateUserCommand as CreateStoreUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { CreateAccountAssignmentCommand, CreatePermissionSetCommand, DeleteAccountAssignmentCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { runBounded } from '../lib/adapters/aws/run-bounded.js';
import { trustStatement } from '../lib/core/entitlements/role-trust.js';

export const NOW = new Date('2026-11-23T12:00:00Z');
const EXPIRES = '2026-12-20T00:00:00Z';
/** The run's own credentials: moto puts unknown keys in its default account; every system's role is assumed from them. */
export const RUN_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const MANAGEMENT = '999900001111';
export const PEOPLE = 40;
const USERS_PER_ACCOUNT = 10;
const SLICE = 20;
export const PERMISSION_SETS = ['ReadOnly', 'PowerUser', 'Billing', 'Support', 'Admin'];
/** Resources of every account, by kind; person j of an account holds all but the (j mod 5)th. */
const KINDS = ['read', 'deploy', 'ops', 'logs', 'break'];
const LOGS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:Get*', 'logs:FilterLogEvents'], Resource: '*' }] };
const HANDMADE = { Sid: 'CiDeploy', Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' };

const pad = (n, width = 3) => String(n).padStart(width, '0');
export const accountId = (i) => String(300000000000 + i);
export const systemOf = (i) => `acct-${pad(i)}`;
export const login = (p) => `p${pad(p, 2)}`;
const email = (p) => `${login(p)}@bench.example`;
const connector = (account) => `arn:aws:iam::${account}:role/grantops-connector`;
/** The people with an IAM user in account i (10 of 40, a different window per account). */
export const usersOf = (i) => Array.from({ length: USERS_PER_ACCOUNT }, (_, j) => (i * 3 + j) % PEOPLE);
const holds = (j, kind) => j % KINDS.length !== kind;
const slices = (accounts) => Math.ceil(accounts / SLICE);
const accountsOfSlice = (k, accounts) => Array.from({ length: Math.min(SLICE, accounts - k * SLICE) }, (_, n) => k * SLICE + n);
const icResource = (set, k) => `ic-${set.toLowerCase()}-${k}`;
/** The two people holding permission set s on slice k. */
const icHolders = (s, k) => [(k * 7 + s * 2) % PEOPLE, (k * 7 + s * 2 + 1) % PEOPLE];

function resourceYaml(id, system, grants, extra = '') {
  return `id: ${id}\nsystem: ${system}\nsensitivity: none\nowners: [${login(0)}]\n${extra}grants: ${grants}\n`;
}

function grantsOf(i, kind) {
  const account = accountId(i);
  switch (KINDS[kind]) {
    case 'read': return `{ managedPolicy: "arn:aws:iam::${account}:policy/bench-read" }`;
    case 'deploy': return `{ managedPolicy: "arn:aws:iam::${account}:policy/bench-deploy" }`;
    case 'ops': return '{ group: ops }';
    case 'logs': return `{ inlinePolicy: ${JSON.stringify(LOGS)} }`;
    default: return '{ role: break-glass }';
  }
}

const resourceOf = (i, kind) => `a${pad(i)}-${KINDS[kind]}`;

function writeGrant(dir, person, resource, status = 'active') {
  mkdirSync(join(dir, 'grants', login(person)), { recursive: true });
  writeFileSync(join(dir, 'grants', login(person), `${resource}.yaml`), `user: ${login(person)}\nresource: ${resource}\nreason: bench\nexpires: ${EXPIRES}\nstatus: ${status}\n`);
}

function writeResource(dir, system, id, text) {
  mkdirSync(join(dir, 'resources', system), { recursive: true });
  writeFileSync(join(dir, 'resources', system, `${id}.yaml`), text);
}

/** The access directory `root/access` of an organisation of `accounts` accounts; returns its grant count. */
export function writeOrganisation(root, { accounts, instanceArn, identityStoreId }) {
  const dir = join(root, 'access');
  mkdirSync(dir, { recursive: true });
  const systems = Array.from({ length: accounts }, (_, i) => `  ${systemOf(i)}: { type: aws, accountId: "${accountId(i)}", region: us-east-1, roleArn: "${connector(accountId(i))}" }`);
  systems.push(`  sso: { type: aws-identity-center, instanceArn: "${instanceArn}", identityStoreId: ${identityStoreId}, region: us-east-1, roleArn: "${connector(MANAGEMENT)}" }`);
  writeFileSync(join(dir, 'grantops.yaml'), `org: Bench Organisation\nowners: [${login(0)}]\nsensitivity:\n  none: { approvers: [], maxAccess: 90d, approvalTtl: 365d }\nsystems:\n${systems.join('\n')}\n`);
  writeFileSync(join(dir, 'people.yaml'), Array.from({ length: PEOPLE }, (_, p) => `- { login: ${login(p)}, name: Person ${p}, email: ${email(p)}, aws: { user: ${login(p)} } }`).join('\n') + '\n');
  let grants = 0;
  for (let i = 0; i < accounts; i++) {
    for (let kind = 0; kind < KINDS.length; kind++) writeResource(dir, systemOf(i), resourceOf(i, kind), resourceYaml(resourceOf(i, kind), systemOf(i), grantsOf(i, kind)));
    usersOf(i).forEach((p, j) => KINDS.forEach((_, kind) => holds(j, kind) && (writeGrant(dir, p, resourceOf(i, kind)), grants++)));
  }
  for (let k = 0; k < slices(accounts); k++) {
    PERMISSION_SETS.forEach((set, s) => {
      const list = accountsOfSlice(k, accounts).map((i) => `"${accountId(i)}"`).join(', ');
      // Support is exclusive: an assignment of it nobody granted is drift grantops removes.
      writeResource(dir, 'sso', icResource(set, k), resourceYaml(icResource(set, k), 'sso', `{ permissionSet: ${set}, accounts: [${list}] }`, set === 'Support' ? 'exclusive: true\n' : ''));
      for (const p of icHolders(s, k)) (writeGrant(dir, p, icResource(set, k)), grants++);
    });
  }
  return grants;
}

/** Clients signed by a session of `account`'s connector role (moto keys every service by that account). */
export async function sessionClients(endpoint, account) {
  const sts = new STSClient({ region: 'us-east-1', endpoint, credentials: RUN_CREDENTIALS });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: connector(account), RoleSessionName: 'bench-setup' }));
  sts.destroy();
  const c = out.Credentials;
  const config = { region: 'us-east-1', endpoint, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } };
  return { iam: new IAMClient(config), ssoAdmin: new SSOAdminClient(config), identityStore: new IdentitystoreClient(config) };
}

/** The management account's Identity Center instance (moto makes one per account). */
export async function identityCenterOf(endpoint) {
  const { ssoAdmin, identityStore } = await sessionClients(endpoint, MANAGEMENT);
  const instance = (await ssoAdmin.send(new ListInstancesCommand({}))).Instances[0];
  return { ssoAdmin, identityStore, instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId };
}

/** The estate as an earlier apply of the organisation left it: every grant's access in place, nothing else. */
export async function seedOrganisation(endpoint, { accounts, ic }) {
  await runBounded(Array.from({ length: accounts }, (_, i) => i), 8, async (i) => {
    const { iam } = await sessionClients(endpoint, accountId(i));
    for (const PolicyName of ['bench-read', 'bench-deploy']) await iam.send(new CreatePolicyCommand({ PolicyName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${PolicyName}/*` }] }) }));
    await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
    const users = usersOf(i);
    const trust = users.filter((_, j) => holds(j, 4)).map((p) => trustStatement(`arn:aws:iam::${accountId(i)}:user/${login(p)}`, login(p), EXPIRES));
    await iam.send(new CreateRoleCommand({ RoleName: 'break-glass', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [HANDMADE, ...trust] }) }));
    for (const [j, p] of users.entries()) {
      const UserName = login(p);
      await iam.send(new CreateUserCommand({ UserName }));
      if (holds(j, 0)) await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn: `arn:aws:iam::${accountId(i)}:policy/bench-read` }));
      if (holds(j, 1)) await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn: `arn:aws:iam::${accountId(i)}:policy/bench-deploy` }));
      if (holds(j, 2)) await iam.send(new AddUserToGroupCommand({ UserName, GroupName: 'ops' }));
      if (holds(j, 3)) await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: `grantops-${resourceOf(i, 3)}`, PolicyDocument: JSON.stringify(LOGS) }));
    }
    iam.destroy();
  });
  const { ssoAdmin, identityStore, instanceArn: InstanceArn, identityStoreId: IdentityStoreId } = ic;
  const userIds = await runBounded(Array.from({ length: PEOPLE }, (_, p) => p), 8, async (p) =>
    (await identityStore.send(new CreateStoreUserCommand({ IdentityStoreId, UserName: email(p), DisplayName: `Person ${p}`, Name: { GivenName: 'Person', FamilyName: String(p) } }))).UserId);
  const setArns = [];
  for (const Name of PERMISSION_SETS) setArns.push((await ssoAdmin.send(new CreatePermissionSetCommand({ InstanceArn, Name }))).PermissionSet.PermissionSetArn);
  const assignments = [];
  for (let k = 0; k < slices(accounts); k++) {
    PERMISSION_SETS.forEach((_, s) => icHolders(s, k).forEach((p) => accountsOfSlice(k, accounts).forEach((i) => assignments.push({ s, p, i }))));
  }
  const assign = ({ s, p, i }) => ssoAdmin.send(new CreateAccountAssignmentCommand({ InstanceArn, PermissionSetArn: setArns[s], PrincipalId: userIds[p], PrincipalType: 'USER', TargetId: accountId(i), TargetType: 'AWS_ACCOUNT' }));
  await runBounded(assignments, 8, assign);
  return { userIds, setArns, assignments: assignments.length, assign, unassign: ({ s, p, i }) => ssoAdmin.send(new DeleteAccountAssignmentCommand({ InstanceArn, PermissionSetArn: setArns[s], PrincipalId: userIds[p], PrincipalType: 'USER', TargetId: accountId(i), TargetType: 'AWS_ACCOUNT' })) };
}

/**
 * Ten changes, each one operation: three grants ended and three new ones (every IAM kind), one new
 * permission-set grant, and three changes made behind grantops's back (a group member removed, an
 * assignment deleted, an assignment of the exclusive Support set nobody granted). Spread over the
 * accounts, so they fall into different batches of concurrently read systems.
 */
export async function makeChanges(root, endpoint, { accounts, seeded }) {
  const dir = join(root, 'access');
  const at = (fraction) => Math.min(accounts - 1, Math.floor(accounts * fraction));
  const person = (i, kind, held, nth = 0) => usersOf(i).filter((_, j) => holds(j, kind) === held)[nth];
  // Ended: a managed policy, a group membership, an inline policy (one operation each).
  writeGrant(dir, person(at(0.02), 1, true), resourceOf(at(0.02), 1), 'expired');
  writeGrant(dir, person(at(0.4), 2, true), resourceOf(at(0.4), 2), 'expired');
  writeGrant(dir, person(at(0.6), 3, true), resourceOf(at(0.6), 3), 'expired');
  // New: a managed policy, an inline policy, a role (its trust statement).
  writeGrant(dir, person(at(0.65), 0, false), resourceOf(at(0.65), 0));
  writeGrant(dir, person(at(0.8), 3, false), resourceOf(at(0.8), 3));
  writeGrant(dir, person(at(0.99), 4, false), resourceOf(at(0.99), 4));
  // New: a permission set on one account for someone who has none there.
  const solo = at(0.21);
  const newcomer = [...Array(PEOPLE).keys()].find((p) => !PERMISSION_SETS.some((_, s) => icHolders(s, Math.floor(solo / SLICE)).includes(p)));
  writeResource(dir, 'sso', 'ic-admin-solo', resourceYaml('ic-admin-solo', 'sso', `{ permissionSet: Admin, accounts: ["${accountId(solo)}"] }`));
  writeGrant(dir, newcomer, 'ic-admin-solo');
  // Behind grantops's back: a member leaves the group, an assignment is deleted, a stray Support assignment.
  const drifted = at(0.45);
  const { iam } = await sessionClients(endpoint, accountId(drifted));
  await iam.send(new RemoveUserFromGroupCommand({ UserName: login(person(drifted, 2, true, 1)), GroupName: 'ops' }));
  iam.destroy();
  const deleted = at(0.33);
  await seeded.unassign({ s: 0, p: icHolders(0, Math.floor(deleted / SLICE))[0], i: deleted });
  const stray = at(0.75);
  const k = Math.floor(stray / SLICE);
  const support = PERMISSION_SETS.indexOf('Support');
  await seeded.assign({ s: support, p: [...Array(PEOPLE).keys()].find((p) => !icHolders(support, k).includes(p)), i: stray });
}
