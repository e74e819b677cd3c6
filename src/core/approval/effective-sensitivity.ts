import type { GrantFile, OrgConfig, Resource } from '../model.js';
import { sensitivityOrder } from '../model.js';
import type { EscalateSensitivity } from './approval-input.js';
import type { SensitivityDecision } from './approval-result.js';

/**
 * The one place deciding the sensitivity a grant is judged at: its resource's level (own or inherited from
 * `defaults`), raised by `escalate` when a rule says so (e.g. a high-risk resource), capped at the most
 * sensitive level. Undefined when the resource's level is not defined (reported by validation).
 */
export function resolveEffectiveSensitivity(
  org: OrgConfig,
  resource: Resource,
  grant: GrantFile,
  escalate?: EscalateSensitivity,
): SensitivityDecision | undefined {
  const levels = sensitivityOrder(org);
  const resourceLevel = resource.effectiveSensitivity;
  const index = levels.indexOf(resourceLevel);
  if (index < 0) return undefined;
  const from = resource.sensitivity !== undefined ? `its own sensitivity` : `the defaults of grantops.yaml`;
  const base = `${resource.id} is ${resourceLevel} (${from})`;
  const raise = escalate?.(grant, resource);
  if (!raise || raise.levels <= 0) return { level: resourceLevel, resourceLevel, escalatedBy: 0, why: base };
  const target = Math.min(index + Math.floor(raise.levels), levels.length - 1);
  const level = levels[target]!;
  return {
    level,
    resourceLevel,
    escalatedBy: target - index,
    why: target === index ? `${base}; ${raise.why}, but it is already the most sensitive level` : `${base}, raised to ${level}: ${raise.why}`,
  };
}
