import { ListGroupsCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
} from '@aws-sdk/client-sso-admin';
import { decodePolicyDocument } from '../../core/iam/parse-account-snapshot.js';
import type { AccountAssignment, IdentityCenterState, IdentityCenterUser, PermissionSetDetail } from '../../core/identity-center/identity-center-state.js';
import type { IdentityCenterSystem } from '../../core/model.js';
import type { IdentityCenterClients } from './identity-center-clients.js';
import { runBounded } from './run-bounded.js';

/** Every call goes through the caller's retrying path. */
export type Call = <T>(send: () => Promise<T>) => Promise<T>;

export interface ReadIdentityCenterOptions {
  /** Also the groups and each permission set's policies (the read-outs: inventory, risk, import, report). */
  policies: boolean;
  /** Only the assignments of these permission set x account pairs are needed (plan); all of them when absent. */
  pairs?: readonly { permissionSet: string; accountId: string }[];
  concurrency: number;
}

async function pages<T, P extends { NextToken?: string }>(call: Call, page: (token: string | undefined) => Promise<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const next = await call(() => page(token));
    out.push(...(items(next) ?? []));
    token = next.NextToken;
  } while (token);
  return out;
}

/**
 * Reads an Identity Center instance with as few calls as the API allows. Users: `ListUsers` pages.
 * Permission sets: `ListPermissionSets` pages and one `DescribePermissionSet` each (the API has no
 * name lookup). Assignments: the cheaper of one `ListAccountAssignments` per declared permission set x
 * account pair and one `ListAccountAssignmentsForPrincipal` per user (only the first is possible without
 * knowing users; only the second covers every permission set, for read-outs). Policies, three calls per
 * permission set, only for read-outs.
 */
export async function readIdentityCenter(clients: IdentityCenterClients, system: IdentityCenterSystem, call: Call, options: ReadIdentityCenterOptions): Promise<IdentityCenterState> {
  const { ssoAdmin, identityStore } = clients;
  const InstanceArn = system.instanceArn;
  const IdentityStoreId = system.identityStoreId;

  const [users, arns] = await Promise.all([
    pages(call, (NextToken) => identityStore.send(new ListUsersCommand({ IdentityStoreId, NextToken, MaxResults: 100 })), (p) => p.Users),
    pages(call, (NextToken) => ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn, NextToken, MaxResults: 100 })), (p) => p.PermissionSets),
  ]);
  const sets = await runBounded(arns, options.concurrency, async (PermissionSetArn): Promise<PermissionSetDetail> => {
    const { PermissionSet } = await call(() => ssoAdmin.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn })));
    const detail: PermissionSetDetail = {
      Name: PermissionSet?.Name ?? PermissionSetArn,
      PermissionSetArn,
      ...(PermissionSet?.Description ? { Description: PermissionSet.Description } : {}),
      ...(PermissionSet?.SessionDuration ? { SessionDuration: PermissionSet.SessionDuration } : {}),
    };
    return options.policies ? { ...detail, ...(await readPolicies(clients, InstanceArn, PermissionSetArn, call)) } : detail;
  });
  const byName = new Map(sets.map((s) => [s.Name, s.PermissionSetArn]));
  const groups = options.policies ? await pages(call, (NextToken) => identityStore.send(new ListGroupsCommand({ IdentityStoreId, NextToken, MaxResults: 100 })), (p) => p.Groups) : [];
  const userList: IdentityCenterUser[] = users.map((u) => ({
    UserId: u.UserId ?? '',
    UserName: u.UserName ?? '',
    ...(u.DisplayName ? { DisplayName: u.DisplayName } : {}),
    ...(u.Emails ? { Emails: u.Emails.map((e) => ({ Value: e.Value, Type: e.Type, Primary: e.Primary })) } : {}),
  }));

  const pairs = options.pairs?.flatMap((p) => (byName.has(p.permissionSet) ? [{ PermissionSetArn: byName.get(p.permissionSet)!, AccountId: p.accountId }] : []));
  const unique = pairs ? [...new Map(pairs.map((p) => [`${p.PermissionSetArn}\u0000${p.AccountId}`, p])).values()] : undefined;
  let assignments: AccountAssignment[];
  if (unique && unique.length <= userList.length) {
    const lists = await runBounded(unique, options.concurrency, (pair) =>
      pages(call, (NextToken) => ssoAdmin.send(new ListAccountAssignmentsCommand({ InstanceArn, ...pair, NextToken, MaxResults: 100 })), (p) => p.AccountAssignments),
    );
    assignments = lists.flat().map(toAssignment);
  } else {
    const wanted = unique ? new Set(unique.map((p) => `${p.PermissionSetArn}\u0000${p.AccountId}`)) : undefined;
    // A read-out (no pairs) needs the groups' assignments too; plan never changes them and asks only for users'.
    const principals = [
      ...userList.map((u) => ({ PrincipalId: u.UserId, PrincipalType: 'USER' as const })),
      ...(unique ? [] : groups.map((g) => ({ PrincipalId: g.GroupId ?? '', PrincipalType: 'GROUP' as const }))),
    ];
    const lists = await runBounded(principals, options.concurrency, (principal) =>
      pages(call, (NextToken) => ssoAdmin.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn, ...principal, NextToken, MaxResults: 100 })), (p) => p.AccountAssignments),
    );
    assignments = lists.flat().map(toAssignment).filter((a) => !wanted || wanted.has(`${a.PermissionSetArn}\u0000${a.AccountId}`));
  }

  return {
    Instance: { InstanceArn, IdentityStoreId },
    Users: userList,
    Groups: groups.map((g) => ({ GroupId: g.GroupId ?? '', ...(g.DisplayName ? { DisplayName: g.DisplayName } : {}), ...(g.Description ? { Description: g.Description } : {}) })),
    PermissionSets: sets,
    AccountAssignments: assignments,
  };
}

function toAssignment(a: { AccountId?: string; PermissionSetArn?: string; PrincipalType?: string; PrincipalId?: string }): AccountAssignment {
  return { AccountId: a.AccountId ?? '', PermissionSetArn: a.PermissionSetArn ?? '', PrincipalType: a.PrincipalType === 'GROUP' ? 'GROUP' : 'USER', PrincipalId: a.PrincipalId ?? '' };
}

async function readPolicies(clients: IdentityCenterClients, InstanceArn: string, PermissionSetArn: string, call: Call): Promise<Partial<PermissionSetDetail>> {
  const { ssoAdmin } = clients;
  const [managed, customer, inline, boundary] = await Promise.all([
    pages(call, (NextToken) => ssoAdmin.send(new ListManagedPoliciesInPermissionSetCommand({ InstanceArn, PermissionSetArn, NextToken })), (p) => p.AttachedManagedPolicies),
    pages(call, (NextToken) => ssoAdmin.send(new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ InstanceArn, PermissionSetArn, NextToken })), (p) => p.CustomerManagedPolicyReferences),
    call(() => ssoAdmin.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn }))),
    call(() => ssoAdmin.send(new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn, PermissionSetArn }))).catch((error: unknown) => {
      // No boundary is answered as ResourceNotFound.
      if ((error as { name?: string }).name === 'ResourceNotFoundException') return { PermissionsBoundary: undefined };
      throw error;
    }),
  ]);
  return {
    AttachedManagedPolicies: managed.map((m) => ({ ...(m.Name ? { Name: m.Name } : {}), Arn: m.Arn ?? '' })),
    CustomerManagedPolicyReferences: customer.map((c) => ({ Name: c.Name ?? '', ...(c.Path ? { Path: c.Path } : {}) })),
    ...(inline.InlinePolicy ? { InlinePolicy: decodePolicyDocument(inline.InlinePolicy) } : {}),
    ...(boundary.PermissionsBoundary
      ? {
          PermissionsBoundary: {
            ...(boundary.PermissionsBoundary.ManagedPolicyArn ? { ManagedPolicyArn: boundary.PermissionsBoundary.ManagedPolicyArn } : {}),
            ...(boundary.PermissionsBoundary.CustomerManagedPolicyReference?.Name
              ? { CustomerManagedPolicyReference: { Name: boundary.PermissionsBoundary.CustomerManagedPolicyReference.Name, ...(boundary.PermissionsBoundary.CustomerManagedPolicyReference.Path ? { Path: boundary.PermissionsBoundary.CustomerManagedPolicyReference.Path } : {}) } }
              : {}),
          },
        }
      : {}),
  };
}
