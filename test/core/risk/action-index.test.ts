import { expandIamActions, invertIamActions } from '@cloud-copilot/iam-expand';
import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import { splitAccessLevel, type ActionCatalogue } from '../../../src/core/risk/action-catalogue.js';
import { ActionIndex } from '../../../src/core/risk/action-index.js';
import { ActionSet } from '../../../src/core/risk/action-set.js';
import { checkRiskModel } from '../../../src/core/risk/check-risk-model.js';
import { DEFAULT_RISK_MODEL, type RiskModel } from '../../../src/core/risk/risk-model.js';

let index: ActionIndex;
beforeAll(async () => {
  index = new ActionIndex(await loadActionCatalogue());
});

const names = (set: ActionSet | null) => (set ? set.indices().map((i) => index.names[i]!.toLowerCase()).sort() : []);
const lower = (list: string[]) => list.map((a) => a.toLowerCase()).sort();

describe('ActionIndex.expand agrees with @cloud-copilot/iam-expand', () => {
  it.each(['s3:Get*', 'ec2:Describe*', 'iam:*Policy*', 'lambda:?nvokeFunction', 'S3:getobject', 'sts:AssumeRole*', 'kms:*', 'dynamodb:*Item'])('%s', async (pattern) => {
    expect(names(index.expand(pattern))).toEqual(lower(await expandIamActions(pattern)));
  });

  it('"*" is every action', async () => {
    expect(index.expand('*')!.count()).toBe((await expandIamActions('*', { expandAsterisk: true })).length);
  });

  it('NotAction is the complement, as invertIamActions computes it', async () => {
    const excluded = ['iam:*', 'organizations:*', 's3:Get*'];
    const set = index.empty();
    for (const p of excluded) set.addAll(index.expand(p)!);
    expect(names(set.invert())).toEqual(lower(await invertIamActions(excluded)));
  });

  it('matches nothing for unknown services, actions and malformed patterns', () => {
    for (const pattern of ['nosuch:*', 's3:GetObjekt', 's3', 'a:b:c', '']) expect(index.expand(pattern)).toBeNull();
  });
});

describe('the action catalogue', () => {
  it('splits combined access levels and fails towards Write', () => {
    expect(splitAccessLevel('Permissions management, Write')).toEqual(['Permissions management', 'Write']);
    expect(splitAccessLevel('Tagging, Write')).toEqual(['Tagging', 'Write']);
    expect(splitAccessLevel('Read')).toEqual(['Read']);
    expect(splitAccessLevel('Something new')).toEqual(['Write']);
  });

  it('keeps each service contiguous and every action once', () => {
    const catalogue: ActionCatalogue = {
      source: 'test',
      services: [
        { prefix: 'b', actions: [{ name: 'Two', accessLevel: 'Write', wildcardOnly: false }, { name: 'two', accessLevel: 'Write', wildcardOnly: false }] },
        { prefix: 'a', actions: [{ name: 'One', accessLevel: 'List', wildcardOnly: true }] },
      ],
    };
    const small = new ActionIndex(catalogue);
    expect(small.names).toEqual(['a:One', 'b:Two']);
    expect(small.services).toEqual([{ prefix: 'a', start: 0, end: 1 }, { prefix: 'b', start: 1, end: 2 }]);
    expect(small.wildcardOnly.indices()).toEqual([0]);
  });
});

describe('the risk model', () => {
  it('names only actions, levels and sources that exist', () => {
    expect(checkRiskModel(DEFAULT_RISK_MODEL, index)).toEqual([]);
  });

  it('cites a source with a URL for every rule, and has a version', () => {
    expect(DEFAULT_RISK_MODEL.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const source of Object.values(DEFAULT_RISK_MODEL.sources)) expect(source.url).toMatch(/^https:\/\//);
    expect(new Set(DEFAULT_RISK_MODEL.rules.map((r) => r.source))).toEqual(new Set(['rhino-security-labs', 'cloudsplaining', 'aws-ssm', 'aws-cloudformation', 'aws-job-functions']));
    expect(DEFAULT_RISK_MODEL.sources[DEFAULT_RISK_MODEL.graph.assumeRole.source]).toBeDefined();
    // Every escalation method says how it is an edge of the principal graph.
    expect(DEFAULT_RISK_MODEL.rules.filter((r) => r.category === 'privilege-escalation' && !r.graph)).toEqual([]);
    expect(DEFAULT_RISK_MODEL.rules.filter((r) => r.source === 'rhino-security-labs')).toHaveLength(21);
  });

  it('refuses a model that names an action the catalogue lacks', () => {
    const broken: RiskModel = { ...DEFAULT_RISK_MODEL, rules: [{ ...DEFAULT_RISK_MODEL.rules[0]!, match: 'all', actions: ['iam:CreatePolicyVersionX'] }] };
    expect(checkRiskModel(broken, index)).toEqual([expect.stringContaining('"iam:CreatePolicyVersionX" is not in the catalogue')]);
  });
});

describe('ActionSet', () => {
  it('does set algebra over word boundaries', () => {
    const a = ActionSet.range(70, 3, 67);
    const b = ActionSet.range(70, 30, 40);
    expect(a.count()).toBe(64);
    expect(a.hasRange(3, 67)).toBe(true);
    expect(a.hasRange(2, 67)).toBe(false);
    expect(a.clone().removeAll(b).count()).toBe(54);
    expect(a.clone().retainAll(b).indices()).toEqual(b.indices());
    expect(ActionSet.full(70).count()).toBe(70);
    expect(new ActionSet(70).invert().count()).toBe(70);
    expect(a.clone().invert().indices()).toEqual([0, 1, 2, 67, 68, 69]);
  });
});
