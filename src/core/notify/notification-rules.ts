import type { AccessRepo } from '../model.js';

/**
 * The rules a notification is routed by: grantops.yaml (channels, the levels' `notify:` roles),
 * people.yaml (emails, managers, roles) and the resources (owners, sensitivity in force).
 */
export type NotificationRules = Pick<AccessRepo, 'org' | 'people' | 'resources'>;
