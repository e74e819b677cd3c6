/**
 * IAM's wildcard patterns (`*` any run of characters, `?` exactly one) matched without a regular
 * expression. Policy documents reach the risk model from pull requests nobody has approved yet, and a
 * pattern like `s3:*a*a*a*…b` compiled to a regular expression backtracks for minutes on one action name;
 * this greedy matcher returns to the last star only, so a match costs at most pattern × text steps.
 */
export interface WildcardPattern {
  test(text: string): boolean;
}

const STAR = 0;
const ONE = 1;
type Token = typeof STAR | typeof ONE | string;

/** `anyRun`: further substrings that match like `*` (e.g. IAM policy variables in an ARN). */
export function compileWildcard(pattern: string, options: { ignoreCase?: boolean; anyRun?: RegExp } = {}): WildcardPattern {
  const fold = (s: string) => (options.ignoreCase ? s.toLowerCase() : s);
  const tokens: Token[] = [];
  const pieces = options.anyRun ? pattern.split(options.anyRun) : [pattern];
  pieces.forEach((piece, i) => {
    if (i > 0 && tokens[tokens.length - 1] !== STAR) tokens.push(STAR);
    for (const ch of fold(piece)) {
      if (ch === '*') {
        if (tokens[tokens.length - 1] !== STAR) tokens.push(STAR);
      } else tokens.push(ch === '?' ? ONE : ch);
    }
  });
  return { test: (text) => matchTokens(tokens, fold(text)) };
}

function matchTokens(tokens: readonly Token[], text: string): boolean {
  let p = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    const token = tokens[p];
    if (p < tokens.length && token !== STAR && (token === ONE || token === text[t])) {
      p++;
      t++;
    } else if (token === STAR) {
      starAt = p++;
      resumeAt = t;
    } else if (starAt >= 0) {
      // The last star swallows one more character; earlier stars never need revisiting.
      p = starAt + 1;
      t = ++resumeAt;
    } else return false;
  }
  while (tokens[p] === STAR) p++;
  return p === tokens.length;
}
