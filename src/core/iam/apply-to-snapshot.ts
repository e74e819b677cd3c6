import type { IamOperation } from '../plan/iam-operation.js';
import type { AccountSnapshot } from './account-snapshot.js';

/**
 * Carries one operation out on a snapshot in memory, the way IAM would: it changes `snapshot` and
 * returns undefined, or returns why IAM would refuse (the snapshot is then unchanged). Removing what
 * is already gone succeeds, so a run interrupted halfway can simply run again.
 */
export function applyToSnapshot(snapshot: AccountSnapshot, op: IamOperation): string | undefined {
  const user = snapshot.UserDetailList.find((u) => u.UserName === op.principal);
  if (!user) return `IAM user "${op.principal}" does not exist`;
  switch (op.action) {
    case 'attach-user-policy': {
      const attached = (user.AttachedManagedPolicies ??= []);
      if (attached.some((p) => p.PolicyArn === op.target)) return undefined;
      const policy = snapshot.Policies.find((p) => p.Arn === op.target);
      if (!policy && !/:iam::aws:policy\//.test(op.target)) return `managed policy "${op.target}" does not exist`;
      attached.push({ PolicyName: policy?.PolicyName ?? op.target.slice(op.target.lastIndexOf('/') + 1), PolicyArn: op.target });
      if (policy) policy.AttachmentCount = (policy.AttachmentCount ?? 0) + 1;
      return undefined;
    }
    case 'detach-user-policy': {
      const before = user.AttachedManagedPolicies ?? [];
      if (!before.some((p) => p.PolicyArn === op.target)) return undefined;
      user.AttachedManagedPolicies = before.filter((p) => p.PolicyArn !== op.target);
      const policy = snapshot.Policies.find((p) => p.Arn === op.target);
      if (policy?.AttachmentCount) policy.AttachmentCount -= 1;
      return undefined;
    }
    case 'add-user-to-group': {
      if (!snapshot.GroupDetailList.some((g) => g.GroupName === op.target)) return `IAM group "${op.target}" does not exist`;
      const groups = (user.GroupList ??= []);
      if (!groups.includes(op.target)) groups.push(op.target);
      return undefined;
    }
    case 'remove-user-from-group':
      user.GroupList = (user.GroupList ?? []).filter((g) => g !== op.target);
      return undefined;
    case 'put-user-policy': {
      if (!op.document) return 'put-user-policy needs a policy document';
      const inline = (user.UserPolicyList ??= []);
      const existing = inline.find((p) => p.PolicyName === op.target);
      if (existing) existing.PolicyDocument = op.document;
      else inline.push({ PolicyName: op.target, PolicyDocument: op.document });
      return undefined;
    }
    case 'delete-user-policy':
      user.UserPolicyList = (user.UserPolicyList ?? []).filter((p) => p.PolicyName !== op.target);
      return undefined;
  }
}
