import type { OrgConfig } from '../model.js';

/** One job of a matrix: the system and what the job needs to reach it. */
export interface SystemMatrixEntry {
  system: string;
  type: string;
  accountId?: string;
  instanceArn?: string;
  region?: string;
  /** The connector role the job assumes (through OIDC, or from the run's credentials). */
  roleArn?: string;
  /** The read-only role a plan job assumes instead, when the system names one. */
  planRoleArn?: string;
}

/**
 * The systems as a GitHub Actions matrix (`strategy.matrix: ${{ fromJSON(...) }}`): one entry per system,
 * in grantops.yaml order.
 */
export function systemMatrix(org: OrgConfig): { include: SystemMatrixEntry[] } {
  return {
    include: Object.entries(org.systems).map(([system, config]) => ({
      system,
      type: config.type,
      ...('accountId' in config ? { accountId: config.accountId } : {}),
      ...('instanceArn' in config ? { instanceArn: config.instanceArn } : {}),
      ...(config.region ? { region: config.region } : {}),
      ...(config.roleArn ? { roleArn: config.roleArn } : {}),
      ...(config.planRoleArn ? { planRoleArn: config.planRoleArn } : {}),
    })),
  };
}
