#!/usr/bin/env node
/**
 * Writes docs/configuration.md, the reference of every file of the access layout, from the published
 * JSON Schemas in schemas/ (themselves generated from src/core/schemas/ and checked fresh in CI).
 *
 *   node scripts/write-config-docs.mjs            rewrite docs/configuration.md
 *   node scripts/write-config-docs.mjs --stdout   print it instead
 *
 * Examples come from the Vandelay Industries organisation in access/, so every example shown is one
 * `grantops validate` accepts; a field the example organisation does not use takes its example from
 * EXTRA_EXAMPLES below. Defaults are what the code does when a field is absent (the schemas hold no
 * `default` keyword because validation never fills values in): KNOWN_DEFAULTS lists them. A field with
 * no example at all fails the script, so a new field cannot reach the reference undocumented.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isCollection, isPair, parse, stringify } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'configuration.md');

/** The files of the layout, in the order a newcomer meets them. */
const FILES = [
  { schema: 'grantops.schema.json', example: ['access/grantops.yaml', 'examples/grantops-notifications.yaml'] },
  { schema: 'people.schema.json', example: ['access/people.yaml'] },
  { schema: 'resource.schema.json', example: 'access/resources', showExample: 'access/resources/aws-prod/prod-data-read.yaml' },
  { schema: 'grant.schema.json', example: 'access/grants', showExample: 'access/grants/kramer/prod-data-read.yaml' },
];

/** Names for the keys of maps (`additionalProperties` objects), by the map's field path. */
const MAP_KEYS = { sensitivity: 'level', systems: 'system', 'risk.levels': 'level', 'notifications.channels': 'channel' };

/** What the code does when an optional field is absent, by schema file and field path. */
const KNOWN_DEFAULTS = {
  'grantops.schema.json': {
    defaults: 'none: every resource must then set its own `sensitivity`',
    'sensitivity.<level>.notify': 'nobody is notified',
    expiry: 'no warnings',
    'expiry.warnBefore': 'nobody is warned before expiry',
    'systems.<system>.region': '`AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`',
    'systems.<system>.endpoint': "`AWS_ENDPOINT_URL_IAM`, else AWS's IAM endpoint",
    'systems.<system>.roleArn': "the runner's own AWS credentials",
    risk: 'no escalation by risk score',
    'risk.escalateAbove': 'no escalation by score',
    'risk.escalateOnPrivilegeEscalation': '`true`',
    'risk.levels': 'the 0-100 range split evenly over the levels (five levels: 0, 20, 40, 60, 80)',
    'risk.unusedAfter': '`90d`',
    'risk.keyMaxAge': '`90d`',
    protectedPaths: '`.github/workflows/**`, `.github/actions/**`, `**/.gitattributes`, `.gitmodules` (the access directory and the folders above it are always protected)',
    notifications: 'nobody is notified',
    'notifications.channels.<channel>.sensitivity': 'events about grants of every level',
    'notifications.channels.<channel>.to': 'each event goes to the people it concerns, at their email in people.yaml',
    'notifications.channels.<channel>.smtp.port': '`587`, or `465` with `secure: true`',
    'notifications.channels.<channel>.smtp.secure': '`false`: STARTTLS when the server offers it',
    'notifications.channels.<channel>.smtp.user': 'no login',
    'notifications.channels.<channel>.smtp.password': 'no login',
  },
  'people.schema.json': {
    manager: 'none: a grant whose sensitivity needs the `manager` role cannot be approved for this person',
    roles: '`[]`',
    aws: 'none: grants to this person cannot be provisioned in AWS',
  },
  'resource.schema.json': {
    sensitivity: 'the first matching entry of `defaults` in grantops.yaml',
    provision: '`auto`',
    exclusive: '`false`',
    maxAccess: "the sensitivity level's `maxAccess`",
    'grants.inlinePolicy.Version': "none (AWS then reads the policy with the 2008 language version)",
  },
  'grant.schema.json': {
    approvalExpires: 'none: the access cannot be renewed without a new human approval',
  },
};

/** Examples for fields the example organisation does not use (YAML values, as they would be written). */
const EXTRA_EXAMPLES = {
  'grantops.schema.json': {
    'systems.<system>.endpoint': 'http://127.0.0.1:5000',
    'systems.<system>.roleArn': 'arn:aws:iam::111122223333:role/grantops-connector',
    'systems.<system>.externalId': 'vandelay-grantops',
    'systems.<system>.instanceArn': 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    'systems.<system>.identityStoreId': 'd-1234567890',
    risk: { escalateAbove: 70, levels: { high: 60, critical: 85 } },
    'risk.escalateAbove': 70,
    'risk.escalateOnPrivilegeEscalation': true,
    'risk.levels': { high: 60, critical: 85 },
    'risk.levels.<level>': 60,
    'risk.unusedAfter': '90d',
    'risk.keyMaxAge': '180d',
    protectedPaths: ['.github/workflows/**', '.github/actions/**', '**/.gitattributes', '.gitmodules', 'deploy/grantops/**'],
    approvalFallback: 'org-owner',
    'sensitivity.<level>.breakGlass': { roles: ['oncall'], maxAccess: '2h', ratifyWithin: '1d' },
    'sensitivity.<level>.breakGlass.roles': ['oncall'],
    'sensitivity.<level>.breakGlass.maxAccess': '2h',
    'sensitivity.<level>.breakGlass.ratifyWithin': '1d',
  },
  'people.schema.json': { 'aws.identityCenterUser': 'kramer@vandelay.example' },
  'resource.schema.json': {
    exclusive: true,
    'grants.role': 'deploy-prod',
    'grants.permissionSet': 'AdministratorAccess',
    'grants.accounts': ['111122223333', '444455556666'],
    'grants.inlinePolicy.Id': 'orders-db-admin',
    'grants.inlinePolicy.Statement.NotAction': ['iam:*'],
    'grants.inlinePolicy.Statement.NotResource': 'arn:aws:s3:::vandelay-payroll/*',
    'grants.inlinePolicy.Statement.Condition': { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  },
  'grant.schema.json': {
    breakGlass: true,
  },
};

const toStdout = process.argv.includes('--stdout');

async function readExamples(where) {
  const paths = Array.isArray(where) ? where : await listYaml(join(ROOT, where));
  const docs = [];
  for (const path of paths) docs.push(parse(await readFile(join(ROOT, path), 'utf8')));
  return docs;
}

async function listYaml(dir) {
  const out = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listYaml(path)));
    else if (entry.name.endsWith('.yaml')) out.push(path.slice(ROOT.length + 1));
  }
  return out;
}

/** Every field of a schema, depth first, as rows of the reference. */
function collectFields(root) {
  const rows = [];
  const resolveRef = (schema) => {
    if (!schema?.$ref) return schema;
    const [, ...segments] = schema.$ref.split('/');
    return segments.reduce((node, key) => node[key], root);
  };
  const visit = (schema, path, steps) => {
    schema = resolveRef(schema);
    // Statement is "one statement or a list of them": document the statement's fields under one path.
    if (schema.anyOf) {
      const objectBranch = schema.anyOf.map(resolveRef).map((s) => (s.type === 'array' ? resolveRef(s.items) : s)).find((s) => s.type === 'object');
      if (objectBranch) visit(objectBranch, path, steps);
      return;
    }
    if (schema.type === 'array' && resolveRef(schema.items)?.type === 'object') {
      // Fields of list entries read `defaults[].resources`; a file that is itself a list names them bare.
      const itemPath = path.length === 0 ? [] : [...path.slice(0, -1), `${path.at(-1)}[]`];
      visit(resolveRef(schema.items), itemPath, [...steps, '*']);
      return;
    }
    if (schema.type !== 'object') return;
    const required = new Set(schema.required ?? []);
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const childPath = [...path, key];
      rows.push({ path: childPath.join('.'), schema: resolveRef(child), required: required.has(key), steps: [...steps, key], root });
      visit(child, childPath, [...steps, key]);
    }
    // A union picked by `type` (if/then branches): each field once, saying which types have it.
    const branches = (schema.allOf ?? []).filter((b) => b.then).map((b) => ({ kind: b.if.properties.type.const, schema: b.then }));
    const seen = new Set(Object.keys(schema.properties ?? {}));
    for (const { schema: branch } of branches) {
      for (const [key, child] of Object.entries(branch.properties ?? {})) {
        if (seen.has(key)) continue;
        seen.add(key);
        const kinds = branches.filter((b) => b.schema.properties?.[key]).map((b) => b.kind);
        const only = kinds.length < branches.length ? `With \`type: ${kinds.join('` or `')}\`. ` : '';
        const childPath = [...path, key];
        const described = { ...resolveRef(child), description: `${only}${resolveRef(child).description ?? ''}`.trim() };
        const required = kinds.every((kind) => branches.find((b) => b.kind === kind).schema.required?.includes(key));
        rows.push({ path: childPath.join('.'), schema: described, required, steps: [...steps, key], root });
        visit(child, childPath, [...steps, key]);
      }
    }
    if (typeof schema.additionalProperties === 'object') {
      const name = MAP_KEYS[path.join('.')] ?? 'name';
      const childPath = [...path, `<${name}>`];
      rows.push({ path: childPath.join('.'), schema: resolveRef(schema.additionalProperties), required: false, steps: [...steps, '*'], root, mapEntry: true });
      visit(schema.additionalProperties, childPath, [...steps, '*']);
    }
  };
  visit(root, [], []);
  return rows;
}

/** The first value at `steps` in any example document; `*` walks every map key or list item. */
function findExample(docs, steps) {
  const walk = (value, i) => {
    if (value === undefined || value === null) return undefined;
    if (i === steps.length) return value;
    const step = steps[i];
    if (step === '*') {
      const children = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : [];
      for (const child of children) {
        const found = walk(child, i + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    // A policy's Statement may be a single statement or a list: look through both.
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = walk(item, i);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    return typeof value === 'object' ? walk(value[step], i + 1) : undefined;
  };
  for (const doc of docs) {
    const found = walk(doc, 0);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describeType(schema) {
  const one = (s) => {
    if (s.anyOf) return s.anyOf.map(one).join(' or ');
    if (s.$ref) return s.$ref.split('/').at(-1);
    if (s.type === 'array') return `list of ${one(s.items ?? {})}`;
    if (s.type === 'object' && typeof s.additionalProperties === 'object' && !s.properties) return 'map';
    if (s.type === 'string' && s.format === 'date-time') return 'timestamp (ISO 8601)';
    if (s.type === 'string' && s.pattern === DURATION) return 'duration';
    return s.type ?? 'any';
  };
  return one(schema);
}

const DURATION = '^[1-9][0-9]*[mhdw]$';

/** Allowed values and limits, in words, for one field (patterns quoted as written in the schema). */
function describeConstraints(schema) {
  const out = [];
  const add = (s, prefix = '') => {
    if (!s) return;
    if (s.const !== undefined) out.push(`${prefix}exactly \`${s.const}\``);
    if (s.enum) out.push(`${prefix}one of ${s.enum.map((v) => `\`${v}\``).join(', ')}`);
    if (s.pattern === DURATION) out.push(`${prefix}a number and a unit: \`m\` minutes, \`h\` hours, \`d\` days, \`w\` weeks (pattern \`${s.pattern}\`)`);
    else if (s.pattern) out.push(`${prefix}pattern \`${s.pattern}\``);
    if (s.format && s.format !== 'date-time') out.push(`${prefix}format ${s.format}`);
    if (s.minLength === 1) out.push(`${prefix}not empty`);
    if (s.minimum !== undefined && s.maximum !== undefined) out.push(`${prefix}from ${s.minimum} to ${s.maximum}`);
    if (s.minItems) out.push(`at least ${s.minItems} ${s.minItems === 1 ? 'entry' : 'entries'}`);
    if (s.uniqueItems) out.push('no duplicates');
    if (s.minProperties === 1 && s.maxProperties === 1) out.push(`exactly one of ${Object.keys(s.properties ?? {}).map((k) => `\`${k}\``).join(', ')}`);
    else if (s.minProperties) out.push(`at least ${s.minProperties} ${s.minProperties === 1 ? 'entry' : 'entries'}`);
    if (s.type === 'object' && s.additionalProperties === false) out.push('no other keys');
  };
  add(schema);
  if (schema.type === 'array' && schema.items && !schema.items.$ref) add(schema.items, 'each ');
  return out;
}

const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: false };

/** One line when it fits; otherwise one line per entry (as the example files write them), else full block style. */
function formatExample(value) {
  if (typeof value !== 'object' || value === null) return { inline: stringify(value, YAML_OPTIONS).trim() };
  const flow = stringify(value, { ...YAML_OPTIONS, collectionStyle: 'flow' }).trim();
  if (flow.length <= 80) return { inline: flow };
  const doc = new Document(value);
  for (const item of doc.contents.items) {
    const node = isPair(item) ? item.value : item;
    if (isCollection(node)) node.flow = true;
  }
  const entries = doc.toString(YAML_OPTIONS).trimEnd();
  if (entries.split('\n').every((line) => line.length <= 100)) return { block: entries };
  return { block: stringify(value, YAML_OPTIONS).trimEnd() };
}

function renderField(file, row, docs) {
  const { schema, path } = row;
  const lines = [`#### \`${path}\``, ''];
  const facts = [`**${describeType(schema)}**`];
  if (row.mapEntry) facts.push('one entry per key; you choose the key names');
  else facts.push(row.required ? '**required**' : 'optional');
  lines.push(facts.join(' · '), '');
  if (schema.description) lines.push(schema.description, '');
  const constraints = describeConstraints(schema);
  if (constraints.length > 0) lines.push(`Allowed: ${constraints.join('; ')}.`, '');
  const fallback = KNOWN_DEFAULTS[file]?.[path] ?? (schema.default !== undefined ? `\`${JSON.stringify(schema.default)}\`` : undefined);
  if (!row.required && fallback) lines.push(`Default: ${fallback}.`, '');
  let example = findExample(docs, row.steps);
  if (example === undefined) example = EXTRA_EXAMPLES[file]?.[path];
  if (example === undefined) {
    throw new Error(`${file}: the field "${path}" has no example: use it in access/ or add it to EXTRA_EXAMPLES in scripts/write-config-docs.mjs`);
  }
  let key = path.split('.').at(-1).replace(/\[\]$/, '');
  // A map entry's example shows a real key of the example organisation, not the placeholder.
  if (row.mapEntry) {
    const map = findExample(docs, row.steps.slice(0, -1)) ?? EXTRA_EXAMPLES[file]?.[path.split('.').slice(0, -1).join('.')];
    const entry = map && typeof map === 'object' ? Object.entries(map).find(([, v]) => v === example) : undefined;
    if (entry) key = entry[0];
  }
  const formatted = formatExample(example);
  if (formatted.inline !== undefined) lines.push(`Example: \`${key}: ${formatted.inline}\``, '');
  else lines.push('Example:', '', '```yaml', `${key}:`, ...formatted.block.split('\n').map((l) => `  ${l}`), '```', '');
  return lines.join('\n');
}

async function render() {
  const parts = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs:config` from schemas/*.json and the examples in access/. Do not edit by hand. -->',
    '',
    'Everything grantops knows about an organisation lives in one directory (`access/` by default), reviewed like code.',
    'This page lists every field of every file of that directory: its type, whether it is required, what it means,',
    'the values it accepts, what happens when it is left out, and an example taken from the Vandelay Industries',
    'example organisation in [`access/`](../access). The JSON Schemas in [`schemas/`](../schemas) are the same',
    'rules in machine-readable form (point an editor at them for completion); `grantops validate` enforces them and',
    'reports every problem with its file, line and column. Unknown keys are errors.',
    '',
    '```',
    'access/',
    '  grantops.yaml                  the organisation: owners, sensitivity levels, systems, expiry and risk settings',
    '  people.yaml                    everyone (importable in bulk: grantops people import-csv FILE)',
    '  resources/<system>/<id>.yaml   what can be granted',
    '  grants/<login>/<resource>.yaml one person\'s access to one resource',
    '```',
    '',
    '"Required" means required whenever the object holding the field is present.',
    '',
    'Durations are a whole number and a unit (`30m`, `12h`, `7d`, `2w`); times are ISO 8601 (`2026-12-07T00:00:00Z`).',
    '',
    '## Contents',
    '',
  ];
  const sections = [];
  for (const { schema: name, example, showExample } of FILES) {
    const schema = JSON.parse(await readFile(join(ROOT, 'schemas', name), 'utf8'));
    const docs = await readExamples(example);
    const title = schema.title ?? name;
    const anchor = title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
    parts.push(`- [\`${title}\`](#${anchor}) (schema: [\`schemas/${name}\`](../schemas/${name}))`);
    const shown = showExample ?? example[0];
    const lines = [`## \`${title}\``, '', schema.description ?? '', ''];
    if (schema.type === 'array') lines.push('A YAML list; each entry has the fields below.', '');
    lines.push(`Example ([\`${shown}\`](../${shown})):`, '', '```yaml', (await readFile(join(ROOT, shown), 'utf8')).trimEnd(), '```', '', '### Fields', '');
    for (const row of collectFields(schema)) lines.push(renderField(name, row, docs));
    sections.push(lines.join('\n'));
  }
  parts.push('- [The file provider\'s state files](#the-file-providers-state-files) (outside the access directory)');
  sections.push(STATE_FILES);
  return `${[...parts, '', ...sections].join('\n').trimEnd()}\n`;
}

/** Not a file of the access directory, but what the `file` provider reads in place of AWS (decision 0054). */
const STATE_FILES = `## The file provider's state files

With \`--provider file\` (the default) each system of grantops.yaml is a JSON file: \`plan\`, \`report\`,
\`inventory\` and \`risk\` read it, \`apply\` and \`expire\` change it and replace it atomically. Paths are
relative to the working directory. Each system's file is, first match wins:

1. \`--state SYSTEM=FILE\` (the Action's \`state\` input: \`SYSTEM=FILE\` entries);
2. \`--state FILE\`, for the first \`aws\` system the command works on (in grantops.yaml order, after
   \`--system\`; with no \`aws\` system, its first system);
3. otherwise \`examples/aws-state.json\` for the first \`aws\` system of grantops.yaml, and
   \`examples/state/<system>.json\` for every other system.

The example organisation needs no \`--state\`: \`aws-prod\` is
[\`examples/aws-state.json\`](../examples/aws-state.json), \`aws-staging\` is
[\`examples/state/aws-staging.json\`](../examples/state/aws-staging.json) and \`sso\` is
[\`examples/state/sso.json\`](../examples/state/sso.json). A system whose file does not exist is an error
at its entry in grantops.yaml (\`plan/system-unreachable\`: "no state for system …"), never an empty
account: plan and apply withhold that system and carry on with the others. A file of the wrong kind or
for another account is refused the same way (\`plan/wrong-account\`).

- **An \`aws\` system**: the output of \`aws iam get-account-authorization-details\` (\`UserDetailList\`,
  \`GroupDetailList\`, \`RoleDetailList\`, \`Policies\`), optionally \`SummaryMap\` (quotas; AWS's defaults
  otherwise) and, per user, the usage facts \`inventory\` reads (\`PasswordEnabled\`, \`MfaEnabled\`,
  \`AccessKeys\`, \`ServiceLastAccessed\`).
- **An \`aws-identity-center\` system**: \`{ Instance, Users, Groups, PermissionSets, AccountAssignments }\`
  in the API's own field names: \`Instance\` as \`ListInstances\` returns it (\`InstanceArn\`,
  \`IdentityStoreId\`), users and groups as the identity store's \`ListUsers\`/\`ListGroups\`, each
  permission set with its \`AttachedManagedPolicies\`, \`CustomerManagedPolicyReferences\` and
  \`InlinePolicy\`, and \`AccountAssignments\` as \`ListAccountAssignments\` returns them
  (\`AccountId\`, \`PermissionSetArn\`, \`PrincipalType\`, \`PrincipalId\`).
`;

const text = await render();
if (toStdout) {
  process.stdout.write(text);
} else {
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, text);
  console.log('docs/configuration.md');
}
