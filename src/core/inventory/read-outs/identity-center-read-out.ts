import type { IdentityCenterState, PermissionSetDetail } from '../../identity-center/identity-center-state.js';
import type { PermissionSetPolicySource } from '../../risk/permission-set-policies.js';
import { scorePermissionSet } from '../../risk/permission-set-risk.js';
import type { RiskScorer } from '../../risk/risk-scorer.js';
import type { PolicyDocument } from '../../model.js';
import { accessWithoutExpiry } from '../recommendations/access-without-expiry.js';
import { assignmentWithoutPerson } from '../recommendations/assignment-without-person.js';
import { sensitivityBelowRisk } from '../recommendations/sensitivity-below-risk.js';
import { peopleByPrincipal, type UserAttachment } from '../explain-access.js';
import { identityCenter } from '../../systems/identity-center.js';
import type { SystemReadOut } from './system-read-out.js';

/** A permission set's score, where one is given (the risk of a permission set is scored like a policy). */
export interface PermissionSetRisk {
  score: number;
  /** Categories of its findings, most severe first. */
  categories: string[];
}

export interface InventoryPermissionSet {
  name: string;
  arn: string;
  description?: string;
  sessionDuration?: string;
  /** What it contains: its inline policy, AWS-managed policy ARNs, customer-managed policy references (`path + name`, in each assigned account) and boundary. */
  inlinePolicy?: PolicyDocument;
  awsManagedPolicies: string[];
  customerManagedPolicies: string[];
  permissionsBoundary?: string;
  /** Accounts it is assigned in, to anyone. */
  accounts: string[];
  /** Assignments of it (users and groups, every account). */
  assignments: number;
  /** Resources of this system that hand it out. */
  resources: string[];
  /** Absent where no score of permission sets is given to the read-out. */
  risk?: PermissionSetRisk;
}

export interface InventoryIdentityCenterUser {
  name: string;
  displayName?: string;
  /** The person of people.yaml (`aws.identityCenterUser`, else the email, as the planner matches). */
  person?: string;
  assignments: UserAttachment[];
}

export interface InventoryIdentityCenterGroup {
  name: string;
  id: string;
  assignments: UserAttachment[];
}

/** The read-out of an Identity Center instance: its users and groups with their assignments, and its permission sets. */
export interface InventoryIdentityCenter {
  instanceArn: string;
  identityStoreId: string;
  name?: string;
  users: InventoryIdentityCenterUser[];
  groups: InventoryIdentityCenterGroup[];
  permissionSets: InventoryPermissionSet[];
}

const referenceName = (ref: { Name: string; Path?: string }) => `${ref.Path ?? '/'}${ref.Name}`;

function boundaryOf(set: PermissionSetDetail): string | undefined {
  const b = set.PermissionsBoundary;
  if (!b) return undefined;
  return b.ManagedPolicyArn ?? (b.CustomerManagedPolicyReference ? `customer-managed ${referenceName(b.CustomerManagedPolicyReference)}` : undefined);
}

/** `type: aws-identity-center`: assignments by user and group, permission sets with what they contain. */
export const identityCenterReadOut: SystemReadOut = {
  rules: {
    // A user nobody in people.yaml is cannot be adopted: `access/no-person` says what to do about them instead.
    'access/no-expiry': (context) => accessWithoutExpiry({ ...context, attachments: context.attachments.filter((a) => a.person || a.principalType) }),
    'access/no-person': assignmentWithoutPerson,
    'resource/sensitivity-below-risk': sensitivityBelowRisk,
  },
  sections({ snapshot, repo, system, scorePermissionSet }, attachments) {
    const state = snapshot.IdentityCenter;
    if (!state) return {};
    const people = peopleByPrincipal(repo, identityCenter);
    const of = (principalType: UserAttachment['principalType'], name: string) => attachments.filter((a) => a.principalType === principalType && a.user === name);
    const users = state.Users.map((u): InventoryIdentityCenterUser => {
      const assignments = of(undefined, u.UserName);
      const person = people.get(u.UserName);
      return { name: u.UserName, ...(u.DisplayName ? { displayName: u.DisplayName } : {}), ...(person ? { person } : {}), assignments };
    });
    const groups = (state.Groups ?? []).map((g): InventoryIdentityCenterGroup => ({ name: g.DisplayName ?? g.GroupId, id: g.GroupId, assignments: of('group', g.DisplayName ?? g.GroupId) }));
    const permissionSets = state.PermissionSets.map((set): InventoryPermissionSet => {
      const held = attachments.filter((a) => a.target === set.Name);
      const boundary = boundaryOf(set);
      const resources = [...(repo?.resources.values() ?? [])]
        .filter((r) => r.value.system === system && 'permissionSet' in r.value.grants && r.value.grants.permissionSet === set.Name)
        .map((r) => r.value.id);
      return {
        name: set.Name,
        arn: set.PermissionSetArn,
        ...(set.Description ? { description: set.Description } : {}),
        ...(set.SessionDuration ? { sessionDuration: set.SessionDuration } : {}),
        ...(set.InlinePolicy ? { inlinePolicy: set.InlinePolicy } : {}),
        awsManagedPolicies: (set.AttachedManagedPolicies ?? []).map((p) => p.Arn),
        customerManagedPolicies: (set.CustomerManagedPolicyReferences ?? []).map(referenceName),
        ...(boundary ? { permissionsBoundary: boundary } : {}),
        accounts: [...new Set(held.map((a) => a.account!))].sort(),
        assignments: held.length,
        resources,
        ...(scorePermissionSet ? { risk: scorePermissionSet(set) } : {}),
      };
    });
    return { identityCenter: { instanceArn: state.Instance.InstanceArn, identityStoreId: state.Instance.IdentityStoreId, ...(state.Instance.Name ? { name: state.Instance.Name } : {}), users, groups, permissionSets } };
  },
};

/**
 * A permission set scored like a policy (`scorePermissionSet` of the risk model) in the accounts it is
 * assigned in, its referenced policies found in the run's IAM read-outs: what the read-out shows of it.
 */
export function permissionSetScorer(scorer: RiskScorer, state: IdentityCenterState, policies: PermissionSetPolicySource, at: Date): (set: PermissionSetDetail) => PermissionSetRisk {
  return (set) => {
    const accounts = state.AccountAssignments.filter((a) => a.PermissionSetArn === set.PermissionSetArn).map((a) => a.AccountId);
    const risk = scorePermissionSet(scorer, set, policies, { accounts, at });
    return { score: risk.score, categories: [...new Set(risk.findings.map((f) => f.category))] };
  };
}
