import { parseDuration } from '../duration.js';
import type { OrgConfig } from '../model.js';

/** The `risk:` block of grantops.yaml with every default filled in. */
export interface ResolvedRiskSettings {
  /** False when grantops.yaml has no `risk:` block: scores are shown, approvals never escalate. */
  configured: boolean;
  escalateAbove?: number;
  escalateOnPrivilegeEscalation: boolean;
  /** Sensitivity levels from least to most sensitive, each with the lowest score it suits. */
  levels: { level: string; minScore: number }[];
  unusedAfterMs: number;
  keyMaxAgeMs: number;
}

export const DEFAULT_UNUSED_AFTER = '90d';
export const DEFAULT_KEY_MAX_AGE = '90d';

/**
 * Without `risk.levels`, the 0-100 range is split evenly over the organisation's levels, so five levels
 * suit 0, 20, 40, 60 and 80; a level named in `risk.levels` takes its own threshold instead.
 */
export function resolveRiskSettings(org: OrgConfig | undefined): ResolvedRiskSettings {
  const risk = org?.risk;
  const names = org ? Object.keys(org.sensitivity) : [];
  const levels = names.map((level, i) => ({ level, minScore: risk?.levels?.[level] ?? Math.round((100 * i) / names.length) }));
  return {
    configured: risk !== undefined,
    escalateAbove: risk?.escalateAbove,
    escalateOnPrivilegeEscalation: risk?.escalateOnPrivilegeEscalation ?? true,
    levels,
    unusedAfterMs: parseDuration(risk?.unusedAfter ?? DEFAULT_UNUSED_AFTER),
    keyMaxAgeMs: parseDuration(risk?.keyMaxAge ?? DEFAULT_KEY_MAX_AGE),
  };
}

/** The most sensitive level whose threshold the score reaches; the least sensitive one at worst. */
export function suggestSensitivity(settings: ResolvedRiskSettings, score: number): string | undefined {
  let suggested = settings.levels[0]?.level;
  for (const { level, minScore } of settings.levels) if (score >= minScore) suggested = level;
  return suggested;
}

/** Position of a level from least (0) to most sensitive; -1 when unknown. */
export function levelRank(settings: ResolvedRiskSettings, level: string): number {
  return settings.levels.findIndex((l) => l.level === level);
}
