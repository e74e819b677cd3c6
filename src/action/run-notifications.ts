import type { NotificationReport } from '../core/notify/notification-report.js';
import type { PlanAccessOptions } from '../usecases/plan.js';
import type { ActionReport } from './action-report.js';
import type { ActionInputs } from './inputs.js';
import type { ActionDeps } from './run.js';

/** The run's notifier and repository, or nothing in a dry run or when the `notify` input is false. */
export function runNotifier(inputs: ActionInputs, deps: Pick<ActionDeps, 'createNotifier' | 'env'>, workspace: string): Pick<PlanAccessOptions, 'notifier' | 'repository'> {
  if (inputs.notify === false || inputs.dryRun) return {};
  return { notifier: deps.createNotifier(workspace, deps.env), ...(deps.env.repository ? { repository: deps.env.repository } : {}) };
}

/** The report's notifications, when the run had anything to tell (no channel took an event: nothing). */
export function notified(notifications: NotificationReport | undefined): Pick<ActionReport, 'notifications'> {
  return notifications && (notifications.deliveries.length > 0 || notifications.problems?.length) ? { notifications } : {};
}
