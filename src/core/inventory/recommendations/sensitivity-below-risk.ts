import { findSensitivityBelowRisk } from '../../risk/sensitivity-below-risk.js';
import type { RecommendationRule } from '../recommendation.js';

/** A resource whose sensitivity (and so its approvers) is below what its risk score suggests. */
export const sensitivityBelowRisk: RecommendationRule = ({ repo, resources, settings }) => {
  if (!repo) return [];
  return findSensitivityBelowRisk(repo, resources.values(), settings).map((f) => ({
    rule: 'resource/sensitivity-below-risk',
    subject: f.file,
    file: f.file,
    reason: `${f.resource} is ${f.declared} but scores ${f.risk.score}/100${f.risk.privilegeEscalation ? ' (a privilege-escalation path)' : ''}, which suggests ${f.suggested}`,
    action: `raise its sensitivity to ${f.suggested}, or narrow what it grants`,
  }));
};
