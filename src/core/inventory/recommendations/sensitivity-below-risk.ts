import { levelRank, suggestSensitivity } from '../../risk/risk-settings.js';
import type { RecommendationRule } from '../recommendation.js';

/** A resource whose sensitivity (and so its approvers) is below what its risk score suggests. */
export const sensitivityBelowRisk: RecommendationRule = ({ repo, resources, settings }) => {
  if (!repo) return [];
  return [...resources.values()].flatMap((risk) => {
    const resource = repo.resources.get(risk.resource);
    const suggested = suggestSensitivity(settings, risk.score);
    if (!resource || !suggested || risk.unresolved.length > 0) return [];
    const declared = resource.value.effectiveSensitivity;
    if (levelRank(settings, suggested) <= levelRank(settings, declared)) return [];
    return [{
      rule: 'resource/sensitivity-below-risk',
      subject: resource.file,
      file: resource.file,
      reason: `${risk.resource} is ${declared} but scores ${risk.score}/100${risk.privilegeEscalation ? ' (a privilege-escalation path)' : ''}, which suggests ${suggested}`,
      action: `raise its sensitivity to ${suggested}, or narrow what it grants`,
    }];
  });
};
