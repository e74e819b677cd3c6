import { permissionSetAssignment } from '../entitlements/permission-set-assignment.js';
import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { SystemType } from './system-type.js';

/**
 * `type: aws-identity-center`: an IAM Identity Center instance. People are users of its identity store,
 * found by `aws.identityCenterUser`, else by their email as UserName.
 */
export const identityCenter: SystemType<AccountSnapshot> = {
  type: 'aws-identity-center',
  configFields: ['instanceArn', 'identityStoreId'],
  kinds: [permissionSetAssignment],
  principalNoun: 'Identity Center user',
  principalOf(person) {
    const name = person.aws?.identityCenterUser ?? person.email;
    return name ? { name } : { missing: 'has neither aws.identityCenterUser nor an email in people.yaml' };
  },
  principals: (snapshot) => new Set((snapshot.IdentityCenter?.Users ?? []).map((u) => u.UserName)),
  findForeignSnapshot(config, snapshot) {
    if (config.type !== 'aws-identity-center') return undefined;
    const instance = snapshot.IdentityCenter?.Instance;
    if (!instance) return { field: 'instanceArn', message: 'is an Identity Center instance, but the state read is an IAM account' };
    if (instance.InstanceArn !== config.instanceArn) return { field: 'instanceArn', message: `is instance ${config.instanceArn}, but the state read is instance ${instance.InstanceArn}` };
    if (instance.IdentityStoreId !== config.identityStoreId) return { field: 'identityStoreId', message: `has identity store ${config.identityStoreId}, but the instance read uses ${instance.IdentityStoreId}` };
    return undefined;
  },
};
