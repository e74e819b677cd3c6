import { parse } from 'yaml';
import { editGrantYaml, writeGrantYaml } from '../../src/core/edit-grant-yaml.js';

const HAND_WRITTEN = `# Kramer needs the lake for the OPS-123 investigation.
user: kramer
resource: prod-data-read   # the read-only role
reason: 'Investigate OPS-123'
expires: "2026-12-07T00:00:00Z"
approvalExpires: 2027-05-21T00:00:00Z

status: active # set by grantops
`;

describe('editGrantYaml', () => {
  it('changes one value and keeps comments, blank lines, quoting and key order', () => {
    const edited = editGrantYaml(HAND_WRITTEN, { status: 'expired' });
    expect(edited).toBe(HAND_WRITTEN.replace('status: active', 'status: expired'));
  });

  it('keeps the quoting style of an edited value', () => {
    const edited = editGrantYaml(HAND_WRITTEN, { expires: '2026-12-20T00:00:00Z', status: 'active' });
    expect(edited).toContain('expires: "2026-12-20T00:00:00Z"\n');
    expect(edited).toContain('# Kramer needs the lake');
    expect(edited).toContain('resource: prod-data-read   # the read-only role');
  });

  it('inserts a missing key where the usual order puts it, and removes a key given null', () => {
    const text = 'user: kramer\nresource: prod-data-read\nreason: x\nexpires: 2026-12-07T00:00:00Z\nstatus: active\n';
    const added = editGrantYaml(text, { approvalExpires: '2027-01-01T00:00:00Z' });
    expect(Object.keys(parse(added) as object)).toEqual(['user', 'resource', 'reason', 'expires', 'approvalExpires', 'status']);
    const removed = editGrantYaml(added, { approvalExpires: null });
    expect(removed).toBe(text);
  });

  it('refuses text that is not a mapping', () => {
    expect(() => editGrantYaml('- a\n- b\n', { status: 'expired' })).toThrow(/mapping/);
    expect(() => editGrantYaml('user: [unclosed\n', { status: 'expired' })).toThrow(/parse/);
  });
});

describe('writeGrantYaml', () => {
  it('writes the keys in the usual order and quotes only what YAML would misread', () => {
    const text = writeGrantYaml(
      { user: 'dev', resource: 'prod-db', reason: 'Fix: OPS-9 #urgent', expires: '2026-12-07T00:00:00Z', approvalExpires: '2027-01-01T00:00:00Z', status: 'active' },
      'Requested with grantops request',
    );
    expect(text.split('\n')[0]).toBe('# Requested with grantops request');
    expect(text).toContain('expires: 2026-12-07T00:00:00Z\n');
    expect(parse(text)).toEqual({ user: 'dev', resource: 'prod-db', reason: 'Fix: OPS-9 #urgent', expires: '2026-12-07T00:00:00Z', approvalExpires: '2027-01-01T00:00:00Z', status: 'active' });
  });

  it('quotes values YAML would read as another type', () => {
    const text = writeGrantYaml({ user: 'dev', resource: 'prod-db', reason: 'true', expires: '2026-12-07T00:00:00Z', status: 'active' });
    expect(text).toContain('reason: "true"');
    expect((parse(text) as { reason: unknown }).reason).toBe('true');
  });
});

describe('editGrantYaml on unusual but valid files', () => {
  it('replaces a block scalar reason without eating the next line', () => {
    const text = 'user: dev\nresource: prod-db\nreason: |\n  Two lines\n  of reason\nexpires: 2026-12-07T00:00:00Z\nstatus: active\n';
    const edited = editGrantYaml(text, { reason: 'one line' });
    expect(parse(edited)).toMatchObject({ reason: 'one line', expires: '2026-12-07T00:00:00Z' });
  });

  it('edits the last key of a file with no final newline', () => {
    const edited = editGrantYaml('user: dev\nresource: prod-db\nreason: x\nexpires: 2026-12-07T00:00:00Z\nstatus: active', { status: 'expired', approvalExpires: '2027-01-01T00:00:00Z' });
    expect(parse(edited)).toMatchObject({ status: 'expired', approvalExpires: '2027-01-01T00:00:00Z' });
  });
});
