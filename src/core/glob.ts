/**
 * The globs of the rules (`defaults[].resources`, `protectedPaths`): `*` any run of characters within a
 * segment, `?` one character, `[a-z]` / `[!a-z]` a class, `{a,b}` and `{1..3}` alternatives, `\` escapes,
 * and in paths a `**` segment for any number of segments. A leading dot is matched like any character.
 *
 * Not a regular expression: a rules file is written by whoever can open a pull request and is evaluated
 * before anyone approves it, so matching is bounded by construction (brace alternatives capped before
 * they are built, then a backtracking-free wildcard match, O(pattern × text)), and validation refuses a
 * pattern past the limits with a located error instead of letting it stall the evaluator.
 */
export const GLOB_LIMITS = {
  /** Characters in one pattern. */
  length: 256,
  /** Alternatives one pattern's braces may expand to. */
  alternatives: 64,
} as const;

class TooManyAlternatives extends Error {}

/** Why a pattern is refused, or undefined when it is usable. */
export function checkGlob(pattern: string): string | undefined {
  if (pattern.length > GLOB_LIMITS.length) return `the pattern is ${pattern.length} characters long; at most ${GLOB_LIMITS.length} are allowed`;
  if (pattern.startsWith('!')) return 'a negated pattern ("!…") is not supported: order the entries instead (the first match wins)';
  if (/[?*+@!]\(/.test(pattern)) return 'extended glob patterns ("@(…)", "*(…)", "+(…)") are not supported';
  try {
    expandBraces(pattern);
  } catch (error) {
    if (error instanceof TooManyAlternatives) return `its braces expand to more than ${GLOB_LIMITS.alternatives} alternatives`;
    throw error;
  }
  return undefined;
}

export type GlobMatcher = (text: string) => boolean;

const compiled = new Map<string, GlobMatcher>();

/**
 * A matcher for a pattern (`paths`: `/` separates segments and `**` spans them). A pattern `checkGlob`
 * refuses matches nothing: the refusal is the validation's to report, never a reason to stall or throw.
 */
export function compileGlob(pattern: string, options: { paths?: boolean } = {}): GlobMatcher {
  const key = `${options.paths ? 'p' : 'i'}\u0000${pattern}`;
  let matcher = compiled.get(key);
  if (!matcher) {
    matcher = checkGlob(pattern) !== undefined ? () => false : build(expandBraces(pattern), options.paths === true);
    if (compiled.size > 4096) compiled.clear();
    compiled.set(key, matcher);
  }
  return matcher;
}

function build(alternatives: readonly string[], paths: boolean): GlobMatcher {
  const compiledAlternatives = alternatives.map((alt) => (paths ? alt.split('/').map(parseSegment) : [parseSegment(alt)]));
  return (text) => {
    const parts = paths ? text.split('/') : [text];
    return compiledAlternatives.some((segments) => matchSegments(segments, parts));
  };
}

// --- brace expansion, capped before anything is built ---------------------------------------------

function expandBraces(pattern: string): string[] {
  const group = findBraceGroup(pattern);
  if (!group) return [pattern];
  const prefix = pattern.slice(0, group.start);
  const suffixes = expandBraces(pattern.slice(group.end + 1));
  const alternatives: string[] = [];
  for (const body of group.bodies) {
    for (const expanded of expandBraces(body)) {
      alternatives.push(expanded);
      if (alternatives.length > GLOB_LIMITS.alternatives) throw new TooManyAlternatives();
    }
  }
  if (alternatives.length * suffixes.length > GLOB_LIMITS.alternatives) throw new TooManyAlternatives();
  return alternatives.flatMap((alt) => suffixes.map((suffix) => `${prefix}${alt}${suffix}`));
}

/** The first `{…}` holding a top-level comma or a `x..y` sequence; escaped braces and `{}` stay literal. */
function findBraceGroup(pattern: string): { start: number; end: number; bodies: string[] } | undefined {
  for (let start = 0; start < pattern.length; start++) {
    if (pattern[start] === '\\') {
      start++;
      continue;
    }
    if (pattern[start] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '\\') i++;
      else if (ch === '{') depth++;
      else if (ch === ',' && depth === 1) commas.push(i);
      else if (ch === '}' && --depth === 0) {
        const inner = pattern.slice(start + 1, i);
        if (commas.length > 0) {
          const bounds = [start, ...commas, i];
          return { start, end: i, bodies: bounds.slice(1).map((b, k) => pattern.slice(bounds[k]! + 1, b)) };
        }
        const sequence = expandSequence(inner);
        if (sequence) return { start, end: i, bodies: sequence };
        break;
      }
    }
  }
  return undefined;
}

function expandSequence(inner: string): string[] | undefined {
  const numbers = /^(-?\d+)\.\.(-?\d+)$/.exec(inner);
  const letters = /^([A-Za-z])\.\.([A-Za-z])$/.exec(inner);
  if (!numbers && !letters) return undefined;
  const [from, to] = numbers ? [Number(numbers[1]), Number(numbers[2])] : [letters![1]!.charCodeAt(0), letters![2]!.charCodeAt(0)];
  if (Math.abs(to - from) + 1 > GLOB_LIMITS.alternatives) throw new TooManyAlternatives();
  const step = to >= from ? 1 : -1;
  const out: string[] = [];
  for (let v = from; v !== to + step; v += step) out.push(numbers ? String(v) : String.fromCharCode(v));
  return out;
}

// --- matching without backtracking blow-up ---------------------------------------------------------

type Token = { star: true } | { star?: false; test: (ch: string) => boolean };
type Segment = { globstar: true } | { globstar?: false; tokens: Token[] };

function parseSegment(text: string): Segment {
  if (text === '**') return { globstar: true };
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '*') {
      if (tokens[tokens.length - 1]?.star !== true) tokens.push({ star: true });
    } else if (ch === '?') tokens.push({ test: () => true });
    else if (ch === '\\' && i + 1 < text.length) {
      const literal = text[++i]!;
      tokens.push({ test: (c) => c === literal });
    } else if (ch === '[') {
      const parsed = parseClass(text, i);
      if (parsed) {
        tokens.push({ test: parsed.test });
        i = parsed.end;
      } else tokens.push({ test: (c) => c === '[' });
    } else tokens.push({ test: (c) => c === ch });
  }
  return { tokens };
}

function parseClass(text: string, open: number): { test: (ch: string) => boolean; end: number } | undefined {
  let i = open + 1;
  const negated = text[i] === '!' || text[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  for (let first = true; i < text.length; first = false, i++) {
    let ch = text[i]!;
    if (ch === ']' && !first) {
      return { end: i, test: (c) => ranges.some(([lo, hi]) => c >= lo && c <= hi) !== negated };
    }
    if (ch === '\\' && i + 1 < text.length) ch = text[++i]!;
    if (text[i + 1] === '-' && i + 2 < text.length && text[i + 2] !== ']') {
      ranges.push([ch, text[i + 2]!]);
      i += 2;
    } else ranges.push([ch, ch]);
  }
  return undefined;
}

/**
 * The classic wildcard match over any sequence: on a mismatch, resume after the last star only, so the
 * cost stays O(pattern × text). Used on characters (`*`) and again on path segments (`**`).
 */
function wildcardMatch<P, T>(pattern: readonly P[], text: readonly T[] | string, isStar: (p: P) => boolean, matches: (p: P, t: T) => boolean): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const part = pattern[p];
    if (part !== undefined && isStar(part)) {
      starP = p++;
      starT = t;
    } else if (part !== undefined && matches(part, text[t] as T)) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (pattern[p] !== undefined && isStar(pattern[p]!)) p++;
  return p === pattern.length;
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): boolean {
  const matchTokens = (tokens: readonly Token[], text: string) =>
    wildcardMatch<Token, string>(tokens, text, (token) => token.star === true, (token, ch) => token.star !== true && token.test(ch));
  return wildcardMatch<Segment, string>(segments, parts, (segment) => segment.globstar === true, (segment, part) => segment.globstar !== true && matchTokens(segment.tokens, part));
}
