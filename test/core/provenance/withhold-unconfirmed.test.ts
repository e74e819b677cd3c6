import { withholdUnconfirmed } from '../../../src/core/provenance/withhold-unconfirmed.js';
import type { RepoSnapshot } from '../../../src/core/repo-file.js';

const snapshot: RepoSnapshot = {
  dir: 'access',
  files: [
    { path: 'access/grantops.yaml', content: 'org: new' },
    { path: 'access/grants/a/x.yaml', content: 'added by a direct push' },
    { path: 'access/grants/b/y.yaml', content: 'changed by a direct push' },
    { path: 'access/grants/c/z.yaml', content: 'approved' },
  ],
};

describe('withholdUnconfirmed', () => {
  it('puts withheld files back to their last confirmed content and drops the ones that never had one', () => {
    const result = withholdUnconfirmed(snapshot, ['access/grants/a/x.yaml', 'access/grants/b/y.yaml'], new Map<string, string | null>([
      ['access/grants/a/x.yaml', null],
      ['access/grants/b/y.yaml', 'before the push'],
    ]));
    expect(result.files).toEqual([
      { path: 'access/grantops.yaml', content: 'org: new' },
      { path: 'access/grants/b/y.yaml', content: 'before the push' },
      { path: 'access/grants/c/z.yaml', content: 'approved' },
    ]);
    expect(snapshot.files).toHaveLength(4);
  });

  it('returns the snapshot untouched when nothing is withheld', () => {
    expect(withholdUnconfirmed(snapshot, [], new Map())).toBe(snapshot);
  });

  it('refuses to guess when the earlier content of a withheld file is unknown', () => {
    expect(() => withholdUnconfirmed(snapshot, ['access/grants/b/y.yaml'], new Map())).toThrow(/no confirmed content was read for access\/grants\/b\/y\.yaml/);
  });
});
