import {
  buildDecisionRecord,
  digestOf,
  grantChangesFromExpiry,
  parseDecisionNote,
  serializeDecisionRecord,
  type DecisionInput,
} from '../../src/core/decision-record.js';

const COMMIT = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const BASE = 'c'.repeat(40);

function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    kind: 'apply',
    commit: COMMIT,
    recordedAt: new Date('2026-11-23T12:00:00Z'),
    dir: 'access',
    rulesSha: BASE,
    pullRequest: {
      number: 7,
      author: 'dev',
      headSha: HEAD,
      baseSha: BASE,
      reviews: [{ reviewer: 'mgr', state: 'APPROVED', commitSha: HEAD, submittedAt: '2026-11-23T11:00:00Z' }],
    },
    grants: [{ file: 'access/grants/dev/prod-db.yaml', user: 'dev', resource: 'prod-db', change: 'new', status: 'approved', approvals: [{ role: 'manager', by: 'mgr' }] }],
    operations: [
      {
        operation: { action: 'attach-user-policy', system: 'aws-prod', principal: 'dev', target: 'arn:aws:iam::aws:policy/X', resource: 'prod-db', grant: 'access/grants/dev/prod-db.yaml' },
        status: 'done',
        at: new Date('2026-11-23T12:00:01Z'),
      },
    ],
    ...over,
  };
}

describe('decision records', () => {
  it('round-trips a record through its one-line note form', () => {
    const record = buildDecisionRecord(input());
    const line = serializeDecisionRecord(record);
    expect(line).not.toContain('\n');
    const parsed = parseDecisionNote(line, COMMIT);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records).toEqual([record]);
    expect(record.operations[0]).toMatchObject({ status: 'done', at: '2026-11-23T12:00:01.000Z' });
    expect(record.digest).toBe(digestOf(record));
  });

  it('reads every record of an appended note, whether blank lines or plain line breaks separate them', () => {
    const first = serializeDecisionRecord(buildDecisionRecord(input()));
    const second = serializeDecisionRecord(buildDecisionRecord(input({ recordedAt: new Date('2026-11-24T00:00:00Z'), operations: [] })));
    expect(parseDecisionNote(`${first}\n\n${second}\n`, COMMIT).records).toHaveLength(2);
    expect(parseDecisionNote(`${second}\n${first}\n`, COMMIT).records).toHaveLength(2);
  });

  it('records an expiry as needing nobody', () => {
    const record = buildDecisionRecord(input({ kind: 'expire', grants: grantChangesFromExpiry([{ file: 'access/grants/dev/prod-db.yaml', user: 'dev', resource: 'prod-db' }]) }));
    expect(record.grants).toEqual([expect.objectContaining({ change: 'expiry', status: 'approved', approvals: [] })]);
    expect(parseDecisionNote(serializeDecisionRecord(record), COMMIT).problems).toEqual([]);
  });

  // Each way a note can be wrong is a located finding; the good records beside it still count.
  const good = serializeDecisionRecord(buildDecisionRecord(input()));
  const edited = good.replace('"by":"mgr"', '"by":"boss"');
  const cases = [
    { name: 'text that is not JSON', text: 'approved by me, trust me', rule: 'record/unparseable' },
    { name: 'an edited field', text: edited, rule: 'record/digest' },
    { name: 'an unknown key', text: serializeDecisionRecord({ ...buildDecisionRecord(input()), extra: 1 } as never), rule: 'record/schema' },
    { name: 'a missing operation time', text: good.replace(/,"at":"[^"]+"/, ''), rule: 'record/schema' },
    { name: 'a newer format', text: JSON.stringify({ format: 'grantops-decision', version: 2 }), rule: 'record/version' },
    { name: 'a record of another commit', text: serializeDecisionRecord(buildDecisionRecord(input({ commit: 'd'.repeat(40) }))), rule: 'record/wrong-commit' },
  ];
  it.each(cases)('flags $name as $rule', ({ text, rule }) => {
    const parsed = parseDecisionNote(`${good}\n\n${text}`, COMMIT);
    expect(parsed.problems).toEqual([expect.objectContaining({ commit: COMMIT, rule })]);
    expect(parsed.records).toHaveLength(1);
  });
});
