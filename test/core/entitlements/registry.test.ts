import { ENTITLEMENT_KINDS, entitlementKindOf, entitlementKindOfAction } from '../../../src/core/entitlements/registry.js';
import type { ResourceGrants } from '../../../src/core/model.js';
import type { IamOperation } from '../../../src/core/plan/iam-operation.js';
import { account, awsPolicy } from '../../helpers/iam-account.js';

/** One resource of each kind, and an account it can be granted in. */
const SAMPLES: { kind: string; grants: ResourceGrants }[] = [
  { kind: 'policy', grants: { managedPolicy: awsPolicy('ReadOnlyAccess') } },
  { kind: 'group', grants: { group: 'readers' } },
  { kind: 'inline', grants: { inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } },
];

describe('the registry of entitlement kinds', () => {
  it('gives every action to exactly one kind', () => {
    const actions = ENTITLEMENT_KINDS.flatMap((k) => [k.addAction, k.removeAction]);
    expect(new Set(actions).size).toBe(actions.length);
    for (const kind of ENTITLEMENT_KINDS) {
      expect(entitlementKindOfAction(kind.addAction)).toBe(kind);
      expect(entitlementKindOfAction(kind.removeAction)).toBe(kind);
    }
  });

  it('finds the kind of each grants block, and accepts no block for two kinds', () => {
    for (const sample of SAMPLES) {
      expect(entitlementKindOf(sample.grants).id).toBe(sample.kind);
      expect(ENTITLEMENT_KINDS.filter((k) => k.accepts(sample.grants))).toHaveLength(1);
    }
  });

  it.each(SAMPLES)('$kind: what the add operation writes is what holdings read back; removing twice is fine', ({ grants }) => {
    const kind = entitlementKindOf(grants);
    const snapshot = account({ dev: {} }, { groups: ['readers'] });
    const [target] = kind.targetsOf({ id: 'res', grants }) as [ReturnType<typeof kind.targetsOf>[number]];
    const op = (action: IamOperation['action']): IamOperation => ({ action, system: 's', principal: 'dev', target: target.name, resource: 'res', grant: null, reason: 'test', ...(target.document ? { document: target.document } : {}) });

    expect(kind.holdings(snapshot).get('dev')?.has(target.name)).toBe(false);
    expect(kind.applyToSnapshot(snapshot, op(kind.addAction))).toBeUndefined();
    const held = kind.holdings(snapshot).get('dev')?.get(target.name);
    expect(held).toBeDefined();
    expect(kind.findDifference?.(held!, target, 'res')).toBeUndefined();
    expect(kind.applyToSnapshot(snapshot, op(kind.removeAction))).toBeUndefined();
    expect(kind.holdings(snapshot).get('dev')?.has(target.name)).toBe(false);
    expect(kind.applyToSnapshot(snapshot, op(kind.removeAction))).toBeUndefined();
    expect(kind.applyToSnapshot(snapshot, { ...op(kind.addAction), principal: 'ghost' })).toMatch(/ghost/);
    expect(kind.cliCommand(op(kind.addAction))).toMatch(/^aws /);
  });
});
