import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/adapters/file/atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'grantops-atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file and leaves no temporary file behind', async () => {
    writeFileSync(join(dir, 'people.yaml'), 'old\n');
    await writeFileAtomic(join(dir, 'people.yaml'), 'new\n');
    expect(readFileSync(join(dir, 'people.yaml'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['people.yaml']);
  });

  it('when the final rename fails, rejects, leaves the target as it was and removes its temporary file', async () => {
    // A non-empty directory cannot be replaced by a file: the rename fails after the data was written.
    mkdirSync(join(dir, 'people.yaml'));
    writeFileSync(join(dir, 'people.yaml', 'keep'), 'kept\n');
    await expect(writeFileAtomic(join(dir, 'people.yaml'), 'new\n')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['people.yaml']);
    expect(readFileSync(join(dir, 'people.yaml', 'keep'), 'utf8')).toBe('kept\n');
  });

  it('when the folder does not exist, rejects without creating anything', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'people.yaml'), 'new\n')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
