import type { UserAttachment } from '../explain-access.js';
import type { InventoryInput, InventoryReport } from '../build-inventory.js';
import type { RecommendationRule } from '../recommendation.js';

/**
 * What one type of system adds to the read-out every system has (what each principal holds and what
 * explains it, unmanaged access, recommendations): the sections of its own, and the recommendation
 * rules that apply to it. One file per system type, listed in `SYSTEM_READ_OUTS`.
 */
export interface SystemReadOut {
  rules: Readonly<Record<string, RecommendationRule>>;
  /** Whether the repository's resources of this system are scored from this read-out (IAM: their policies are in it). */
  readonly scoresResources?: boolean;
  sections(input: InventoryInput, attachments: UserAttachment[]): Partial<Pick<InventoryReport, 'identityCenter'>>;
}
