// Generates a large organisation in the access layout of DESIGN §2: by default 2,000 people in a manager
// tree, 500 resources in two systems across every kind (managed policy, group, inline policy) and every
// sensitivity level (own or inherited), and 10,000 grants within their limits at NOW. Deterministic.
// Options shape it: `fanOut` (reports per manager: 15 makes 3,000 people four levels deep) and `skewed`
// (grants spread unevenly: a few people hold hundreds, most hold one or two).
// Used by bench/validate.mjs; run alone with `node bench/generate-org.mjs DIR` to look at the output.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const LEVELS = {
  none: { approvers: [], maxAccess: 90, approvalTtl: 365 },
  low: { approvers: [], notify: ['owner'], maxAccess: 30, approvalTtl: 180 },
  medium: { approvers: ['manager'], maxAccess: 14, approvalTtl: 90 },
  high: { approvers: ['manager', 'owner'], maxAccess: 7, approvalTtl: 60 },
  critical: { approvers: ['manager', 'owner', 'executive'], maxAccess: 1, approvalTtl: 30 },
};

// A fixed-seed generator, so every run validates the same organisation.
function randomFrom(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const pad = (n) => String(n).padStart(4, '0');

export async function generateOrg(dir, { people = 2000, resources = 500, grants = 10000, fanOut = 8, skewed = false } = {}) {
  const random = randomFrom(0x5eed);
  const pick = (list) => list[Math.floor(random() * list.length)];

  const org = [
    '# A generated organisation for the validate benchmark.',
    'org: Benchmark Corp',
    'owners: [user-0000]',
    'sensitivity:',
    ...Object.entries(LEVELS).map(([name, l]) => `  ${name}: { approvers: [${l.approvers.join(', ')}],${l.notify ? ` notify: [${l.notify.join(', ')}],` : ''} maxAccess: ${l.maxAccess}d, approvalTtl: ${l.approvalTtl}d }`),
    'defaults:',
    '  - { resources: "prod-*", sensitivity: high }',
    '  - { resources: "*", sensitivity: medium }',
    'expiry: { warnBefore: 3d }',
    'systems:',
    '  aws-prod: { type: aws, accountId: "111122223333", region: us-east-1 }',
    '  aws-dev: { type: aws, accountId: "444455556666", region: eu-west-1 }',
  ];

  // A manager tree with a fan-out of about eight; a few executives and contractors.
  const logins = Array.from({ length: people }, (_, i) => `user-${pad(i)}`);
  const peopleLines = ['# Everyone, generated.'];
  logins.forEach((login, i) => {
    const fields = [`login: ${login}`, `name: Person ${i}`, `email: ${login}@bench.example`];
    if (i > 0) fields.push(`manager: ${logins[Math.floor((i - 1) / fanOut)]}`);
    if (i < 5) fields.push('roles: [executive]');
    else if (i % 50 === 0) fields.push('roles: [contractor]');
    fields.push(`aws: { user: ${login}.iam }`);
    if (i % 100 === 0) peopleLines.push(`# Team ${i / 100}`);
    peopleLines.push(`- { ${fields.join(', ')} }`);
  });

  const files = [
    ['grantops.yaml', org.join('\n') + '\n'],
    ['people.yaml', peopleLines.join('\n') + '\n'],
  ];
  const levelNames = Object.keys(LEVELS);
  const resourceList = [];
  for (let i = 0; i < resources; i++) {
    const system = i % 5 === 0 ? 'aws-dev' : 'aws-prod';
    const id = `${i % 3 === 0 ? 'prod' : 'svc'}-res-${pad(i)}`;
    // Every sixth resource inherits its level from defaults ("prod-*" -> high, otherwise medium).
    const own = i % 6 === 5 ? undefined : levelNames[i % levelNames.length];
    const level = own ?? (id.startsWith('prod-') ? 'high' : 'medium');
    const maxAccess = i % 11 === 0 && LEVELS[level].maxAccess > 1 ? 1 : undefined;
    const lines = [`id: ${id}`, `system: ${system}`, `description: Generated resource ${i}`];
    if (own) lines.push(`sensitivity: ${own}`);
    lines.push(`owners: [${pick(logins)}, ${pick(logins)}]`.replace(/\[(\S+), \1\]/, '[$1]'));
    lines.push(`provision: ${i % 7 === 0 ? 'manual' : 'auto'}`);
    if (i % 4 === 0) lines.push('exclusive: true');
    if (maxAccess) lines.push(`maxAccess: ${maxAccess}d`);
    switch (i % 3) {
      case 0:
        lines.push(`grants: { managedPolicy: "arn:aws:iam::${system === 'aws-dev' ? '444455556666' : '111122223333'}:policy/bench-${pad(i)}" }`);
        break;
      case 1:
        lines.push(`grants: { group: bench-group-${pad(i)} }`);
        break;
      default:
        lines.push(
          'grants:',
          '  inlinePolicy:',
          '    Version: "2012-10-17"',
          '    Statement:',
          `      - Sid: Bench${i}`,
          '        Effect: Allow',
          `        Action: ["s3:GetObject", "s3:ListBucket"]`,
          '        Resource:',
          `          - "arn:aws:s3:::bench-${pad(i)}"`,
          `          - "arn:aws:s3:::bench-${pad(i)}/*"`,
        );
    }
    resourceList.push({ id, maxDays: Math.min(LEVELS[level].maxAccess, maxAccess ?? Infinity), ttlDays: LEVELS[level].approvalTtl });
    files.push([`resources/${system}/${id}.yaml`, lines.join('\n') + '\n']);
  }

  // Each person holds up to five distinct resources; a tenth of the grants are expired and renewable.
  const perPerson = Math.ceil(grants / people);
  const held = new Array(people).fill(0);
  const holderOf = (k) => {
    if (!skewed) return k % people;
    // u^3 piles the grants onto the first people; a person never holds more than every resource once.
    for (;;) {
      const user = Math.floor(people * random() ** 3);
      if (held[user] < resources) return user;
    }
  };
  for (let k = 0; k < grants; k++) {
    const user = holderOf(k);
    const nth = skewed ? held[user] : Math.floor(k / people);
    held[user] += 1;
    const resource = resourceList[skewed ? (user * 7 + nth) % resources : (user + nth * Math.floor(resources / perPerson)) % resources];
    const expired = k % 10 === 9;
    const expires = expired ? NOW.getTime() - 3 * DAY : NOW.getTime() + Math.max(1, Math.floor(resource.maxDays * DAY * random()));
    const approvalExpires = NOW.getTime() + Math.floor(resource.ttlDays * DAY * (0.6 + 0.4 * random()));
    files.push([
      `grants/${logins[user]}/${resource.id}.yaml`,
      [
        `user: ${logins[user]}`,
        `resource: ${resource.id}`,
        `reason: Benchmark ticket BENCH-${k}`,
        `expires: ${iso(expires)}`,
        `approvalExpires: ${iso(Math.max(approvalExpires, expires))}`,
        `status: ${expired ? 'expired' : 'active'}`,
      ].join('\n') + '\n',
    ]);
  }

  const folders = new Set(files.map(([path]) => join(dir, path, '..')));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  // Bounded parallel writes: 10,000 small files.
  for (let i = 0; i < files.length; i += 256) {
    await Promise.all(files.slice(i, i + 256).map(([path, text]) => writeFile(join(dir, path), text)));
  }
  return { files: files.length, bytes: files.reduce((n, [, text]) => n + Buffer.byteLength(text), 0) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/generate-org.mjs DIR');
    process.exit(2);
  }
  const { files, bytes } = await generateOrg(dir);
  console.log(`wrote ${files} files (${(bytes / 1e6).toFixed(1)} MB) to ${dir}`);
}
