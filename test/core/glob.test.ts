import { describe, expect, it } from '@jest/globals';
import { minimatch } from 'minimatch';
import { GLOB_LIMITS, checkGlob, compileGlob } from '../../src/core/glob.js';

describe('rule globs', () => {
  const ids = ['prod-db', 'prod-data-read', 'staging-db', 'logs-read', 'prod', 'a.b', 'x1', 'x10', 'px'];
  it.each(['prod-*', '*', '*-read', 'prod-d?', '[ps]*-db', '[!p]*', 'prod-{db,data-read}', 'x{1..3}', '{prod,staging}-*', 'p\\rod', 'a.b', '*-*-*'])(
    'matches resource ids as minimatch does for %s',
    (pattern) => {
      const ours = compileGlob(pattern);
      expect(ids.filter((id) => ours(id))).toEqual(ids.filter((id) => minimatch(id, pattern)));
    },
  );

  it('matches repository paths with ** spanning folders, dots included', () => {
    const m = compileGlob('.github/workflows/**', { paths: true });
    expect(['.github/workflows/apply.yml', '.github/workflows/sub/x.yml', '.github/workflows/.hidden'].every(m)).toBe(true);
    expect(m('.github/actions/x.yml')).toBe(false);
    const attributes = compileGlob('**/.gitattributes', { paths: true });
    expect(['.gitattributes', 'access/.gitattributes', 'a/b/c/.gitattributes'].every(attributes)).toBe(true);
    expect(attributes('access/gitattributes')).toBe(false);
  });

  it('refuses, with the reason, what could stall an evaluation', () => {
    expect(checkGlob(`${'{a,b}'.repeat(30)}x`)).toMatch(`more than ${GLOB_LIMITS.alternatives} alternatives`);
    expect(checkGlob('{1..100000}')).toMatch(/alternatives/);
    expect(checkGlob(`${'+(a|aa)'.repeat(12)}b`)).toMatch(/extended glob/);
    expect(checkGlob('x'.repeat(GLOB_LIMITS.length + 1))).toMatch(/characters long/);
    expect(checkGlob('!prod-*')).toMatch(/negated/);
    expect(checkGlob('{a,b}{c,d}{e,f}')).toBeUndefined();
  });

  it('a refused pattern matches nothing, and an allowed pattern of many stars answers a long id at once', () => {
    expect(compileGlob(`${'{a,b}'.repeat(30)}x`)('ab')).toBe(false);
    const stars = `${'*a'.repeat(60)}b`;
    expect(checkGlob(stars)).toBeUndefined();
    // A backtracking matcher needs C(4000, 60) steps here; this one answers (no match: no b at the end).
    expect(compileGlob(stars)(`${'a'.repeat(4_000)}c`)).toBe(false);
    expect(compileGlob(stars)(`${'a'.repeat(4_000)}b`)).toBe(true);
  });
});
