/**
 * Decides, offline and at one evaluation time, the parts of a policy `Condition` that depend on nothing
 * but the clock. Everything else depends on the request (tags, source IP, MFA...) and stays `unknown`:
 * the caller errs high and counts the statement, only marked as conditional.
 *
 * - `holds`: every condition of the block is decided and true at `at`;
 * - `never`: some condition can never be true at `at`, so the statement allows (or denies) nothing now;
 * - `unknown`: otherwise.
 */
export type ConditionVerdict = 'holds' | 'never' | 'unknown';

/** Longest life of any temporary credential (GetSessionToken's 36 hours): a token issued before `at` minus this has expired. */
const MAX_TOKEN_LIFE_MS = 36 * 3600 * 1000;

const DATE_OPERATORS = ['DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'] as const;
type DateOperator = (typeof DATE_OPERATORS)[number];

function parseTime(value: unknown, epochSeconds: boolean): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (epochSeconds) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function compare(operator: DateOperator, left: number, right: number): boolean {
  switch (operator) {
    case 'DateLessThan':
      return left < right;
    case 'DateLessThanEquals':
      return left <= right;
    case 'DateGreaterThan':
      return left > right;
    case 'DateGreaterThanEquals':
      return left >= right;
  }
}

function values(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** One `Operator: { key: value(s) }` pair. Several values of one key are alternatives (OR). */
function judgeKey(operator: string, key: string, value: unknown, at: number): ConditionVerdict {
  const base = operator.replace(/IfExists$/, '') as DateOperator;
  const ifExists = operator.endsWith('IfExists');
  if (!(DATE_OPERATORS as readonly string[]).includes(base)) return 'unknown';
  const name = key.toLowerCase();
  const times = values(value).map((v) => parseTime(v, name === 'aws:epochtime'));
  if (times.length === 0 || times.some((t) => t === undefined)) return 'unknown';
  if (name === 'aws:currenttime' || name === 'aws:epochtime') {
    // The request time is the evaluation time: decided exactly.
    return times.some((t) => compare(base, at, t!)) ? 'holds' : 'never';
  }
  if (name === 'aws:tokenissuetime' && !ifExists && (base === 'DateLessThan' || base === 'DateLessThanEquals')) {
    // Only tokens issued before the date pass; once those have all expired, no request can.
    return times.every((t) => t! < at - MAX_TOKEN_LIFE_MS) ? 'never' : 'unknown';
  }
  return 'unknown';
}

/** The verdict on a whole `Condition` block (its operators and keys are ANDed). */
export function judgeCondition(condition: Record<string, Record<string, unknown>> | undefined, at: Date | undefined): ConditionVerdict {
  if (!condition || Object.keys(condition).length === 0) return 'holds';
  if (!at) return 'unknown';
  let verdict: ConditionVerdict = 'holds';
  for (const [operator, block] of Object.entries(condition)) {
    if (typeof block !== 'object' || block === null) return 'unknown';
    for (const [key, value] of Object.entries(block)) {
      const one = judgeKey(operator, key, value, at.getTime());
      if (one === 'never') return 'never';
      if (one === 'unknown') verdict = 'unknown';
    }
  }
  return verdict;
}
