/** Durations in the file format: a positive integer and a unit, `30d`, `12h`, `45m`, `2w`. */
export const DURATION_PATTERN = '^[1-9][0-9]*[mhdw]$';

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

export function parseDuration(text: string): number {
  const match = /^([1-9][0-9]*)([mhdw])$/.exec(text);
  if (!match) throw new Error(`invalid duration "${text}" (expected e.g. 30d, 12h, 45m, 2w)`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 60_000)}m`;
}
