import { compileWildcard } from '../../src/core/wildcard-pattern.js';
import { compileActionPattern } from '../../src/core/risk/action-pattern.js';
import { arnPatternMatches } from '../../src/core/risk/arn-pattern.js';

describe('compileWildcard', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:etObject', false],
    ['*Object', 's3:GetObject', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['a*a', 'a', false],
    ['a**b', 'ab', true],
    ['abc', 'abcd', false],
    ['ab?', 'ab', false],
  ])('%s against %s: %s', (pattern, text, expected) => {
    expect(compileWildcard(pattern).test(text)).toBe(expected);
  });

  it('folds case only when asked, as IAM does for actions and not for ARNs', () => {
    expect(compileWildcard('S3:get*', { ignoreCase: true }).test('s3:GetObject')).toBe(true);
    expect(compileWildcard('S3:get*').test('s3:GetObject')).toBe(false);
  });

  it('a hostile pattern from a pull request gets a verdict, not a stalled evaluator', () => {
    // As a regular expression, 40 separated stars against a long near-miss backtrack far beyond any run.
    const hostile = `s3:${'*a'.repeat(40)}*b`;
    const text = `s3:${'a'.repeat(200)}`;
    expect(compileActionPattern(hostile).test(text)).toBe(false);
    expect(compileActionPattern(hostile).test(`${text}b`)).toBe(true);
    expect(arnPatternMatches(`arn:aws:s3:::${'*a'.repeat(40)}*b`, `arn:aws:s3:::${'a'.repeat(200)}`)).toBe(false);
  });

  it('a policy variable in an ARN matches any run, as the request would fill it', () => {
    expect(arnPatternMatches('arn:aws:iam::111122223333:user/${aws:username}', 'arn:aws:iam::111122223333:user/kramer')).toBe(true);
    expect(arnPatternMatches('arn:aws:iam::111122223333:user/${aws:username}-x', 'arn:aws:iam::111122223333:user/kramer')).toBe(false);
  });
});
