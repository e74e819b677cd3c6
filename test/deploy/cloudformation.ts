import { parse, type CollectionTag, type ScalarTag, YAMLMap, YAMLSeq } from 'yaml';

/**
 * Reads a CloudFormation template and resolves it for given parameters the way CloudFormation would:
 * conditions, `Fn::If` and `AWS::NoValue`, `Ref` of parameters and pseudo parameters, `Fn::Sub`,
 * `Fn::Join`, `Fn::Split`, `Fn::Select`, and resources whose condition is false dropped. `Ref` of a
 * resource stays `{ Ref: name }` and `Fn::GetAtt` stays as written. Rules are evaluated too.
 */

/** CloudFormation's short-form intrinsics (`!Ref`, `!Sub`, …) read into their long form (`Ref`, `Fn::Sub`). */
const INTRINSICS = ['Ref', 'Condition', 'Sub', 'GetAtt', 'If', 'Equals', 'And', 'Or', 'Not', 'Join', 'Select', 'Split', 'FindInMap', 'Base64', 'ImportValue', 'GetAZs', 'Contains'];
const longName = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);
const cfnTags: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => ({ [longName(name)]: name === 'GetAtt' ? value.split('.') : value }) } as ScalarTag,
  { tag: `!${name}`, collection: 'seq', resolve: (seq: YAMLSeq) => ({ [longName(name)]: seq.toJSON() }) } as unknown as CollectionTag,
  { tag: `!${name}`, collection: 'map', resolve: (map: YAMLMap) => ({ [longName(name)]: map.toJSON() }) } as unknown as CollectionTag,
]);

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: Record<string, unknown>;
}
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}
export interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
export interface Template {
  Parameters: Record<string, { Type: string; Default?: string; AllowedValues?: string[]; AllowedPattern?: string }>;
  Rules: Record<string, { RuleCondition?: unknown; Assertions: { Assert: unknown; AssertDescription: string }[] }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Condition?: string; Value: unknown }>;
}

export function parseTemplate(text: string): Template {
  return parse(text, { customTags: cfnTags }) as Template;
}

const NO_VALUE = Symbol('AWS::NoValue');

export interface Pseudo {
  partition: string;
  accountId: string;
  region: string;
}

/** A template resolved for one set of parameter values. */
export interface Resolved {
  parameters: Record<string, string | string[]>;
  conditions: Record<string, boolean>;
  resources: Record<string, Resource>;
  /** The descriptions of the rule assertions that fail (CloudFormation refuses the stack when any does). */
  failedRules: string[];
}

export function resolveTemplate(template: Template, given: Record<string, string>, pseudo: Pseudo): Resolved {
  const parameters: Record<string, string | string[]> = {};
  for (const [name, p] of Object.entries(template.Parameters)) {
    const value = given[name] ?? p.Default;
    if (value === undefined) throw new Error(`parameter ${name} has no value`);
    if (p.AllowedValues && !p.AllowedValues.includes(value)) throw new Error(`parameter ${name}: ${value} is not allowed`);
    const values = p.Type === 'CommaDelimitedList' ? value.split(',') : [value];
    for (const v of values) if (p.AllowedPattern && !new RegExp(p.AllowedPattern).test(v)) throw new Error(`parameter ${name}: ${v} does not match ${p.AllowedPattern}`);
    parameters[name] = p.Type === 'CommaDelimitedList' ? values : value;
  }
  for (const name of Object.keys(given)) if (!(name in template.Parameters)) throw new Error(`no parameter ${name}`);
  const refs: Record<string, string | string[]> = { ...parameters, 'AWS::Partition': pseudo.partition, 'AWS::AccountId': pseudo.accountId, 'AWS::Region': pseudo.region, 'AWS::StackName': 'grantops-connector' };
  const conditions: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in conditions)) {
      if (!(name in template.Conditions)) throw new Error(`no condition ${name}`);
      conditions[name] = evaluate(template.Conditions[name]) as boolean;
    }
    return conditions[name]!;
  };

  const sub = (text: string, vars: Record<string, unknown>): string =>
    text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
      if (!(name in vars) && !(name in refs) && name.split('.')[0]! in template.Resources) return whole; // a resource's id or attribute: known at deploy time only
      const value = name in vars ? vars[name] : refs[name];
      if (typeof value !== 'string') throw new Error(`Fn::Sub cannot put ${name} into ${text}`);
      return value;
    });

  function evaluate(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(evaluate).filter((v) => v !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    if (entries.length === 1) {
      const [key, arg] = entries[0]! as [string, unknown];
      const args = arg as unknown[];
      switch (key) {
        case 'Ref':
          if (arg === 'AWS::NoValue') return NO_VALUE;
          return (arg as string) in refs ? refs[arg as string] : { Ref: arg };
        case 'Condition':
          return condition(arg as string);
        case 'Fn::If':
          return evaluate(condition(args[0] as string) ? args[1] : args[2]);
        case 'Fn::Equals':
          return JSON.stringify(evaluate(args[0])) === JSON.stringify(evaluate(args[1]));
        case 'Fn::And':
          return args.every((a) => evaluate(a) === true);
        case 'Fn::Or':
          return args.some((a) => evaluate(a) === true);
        case 'Fn::Not':
          return evaluate(args[0]) !== true;
        case 'Fn::Contains':
          return (evaluate(args[0]) as string[]).includes(evaluate(args[1]) as string);
        case 'Fn::Sub':
          return typeof arg === 'string' ? sub(arg, {}) : sub(args[0] as string, evaluate(args[1]) as Record<string, unknown>);
        case 'Fn::Join':
          if (typeof args[0] !== 'string') throw new Error('Fn::Join takes a literal delimiter');
          return (evaluate(args[1]) as unknown[]).map((v) => {
            if (typeof v !== 'string') throw new Error(`Fn::Join of ${JSON.stringify(v)}`);
            return v;
          }).join(args[0]);
        case 'Fn::Split':
          if (typeof args[0] !== 'string') throw new Error('Fn::Split takes a literal delimiter');
          return (evaluate(args[1]) as string).split(args[0]);
        case 'Fn::Select':
          return (evaluate(args[1]) as unknown[])[Number(evaluate(args[0]))];
        case 'Fn::GetAtt':
          return node;
      }
      if (key.startsWith('Fn::')) throw new Error(`${key} is not resolved here`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      const v = evaluate(value);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out;
  }

  const failedRules: string[] = [];
  for (const rule of Object.values(template.Rules ?? {})) {
    if (rule.RuleCondition !== undefined && evaluate(rule.RuleCondition) !== true) continue;
    for (const a of rule.Assertions) if (evaluate(a.Assert) !== true) failedRules.push(a.AssertDescription);
  }
  const resources: Record<string, Resource> = {};
  for (const [name, r] of Object.entries(template.Resources)) {
    if (r.Condition && !condition(r.Condition)) continue;
    resources[name] = { ...r, Properties: evaluate(r.Properties) as Record<string, unknown> };
  }
  for (const name of Object.keys(template.Conditions)) condition(name);
  return { parameters, conditions, resources, failedRules };
}

/** The policy document of a managed policy resource. */
export function documentOf(resolved: Resolved, resource: string): PolicyDocument {
  const r = resolved.resources[resource];
  if (!r) throw new Error(`${resource} is not in the stack`);
  return r.Properties.PolicyDocument as PolicyDocument;
}

/** The managed policies attached to a role or user, by logical name. */
export function attachedTo(resolved: Resolved, identity: string): string[] {
  const arns = (resolved.resources[identity]?.Properties.ManagedPolicyArns ?? []) as { Ref?: string }[];
  return arns.map((a) => {
    if (!a.Ref || !resolved.resources[a.Ref]) throw new Error(`${identity} attaches ${JSON.stringify(a)}, not a policy of the stack`);
    return a.Ref;
  });
}

export const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => (s.Action === undefined ? [] : [s.Action].flat()));
