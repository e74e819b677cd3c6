import { describe, expect, it } from '@jest/globals';
import type { NotificationEvent } from '../../../src/core/notify/notification-event.js';
import { notificationKey } from '../../../src/core/notify/notification-key.js';

const endingSoon = (at: string, expires: string): NotificationEvent => ({
  kind: 'access-ending-soon',
  at,
  repository: 'vandelay/access',
  recipients: [{ login: 'kramer', as: 'grantee' }],
  grant: { user: 'kramer', resource: 'prod-data-read', expires },
});

const drift = (descriptions: string[]): NotificationEvent => ({
  kind: 'drift-found',
  at: '2026-12-01T00:00:00Z',
  recipients: [],
  system: 'aws-prod',
  command: 'plan',
  items: descriptions.map((description) => ({ description })),
});

describe('notificationKey', () => {
  it('is the same for the same happening seen by two runs at different times', () => {
    expect(notificationKey(endingSoon('2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z'))).toBe(
      notificationKey(endingSoon('2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z')),
    );
  });

  it('differs for another access period of the same grant', () => {
    expect(notificationKey(endingSoon('2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z'))).not.toBe(
      notificationKey(endingSoon('2026-12-01T00:00:00Z', '2026-12-10T00:00:00Z')),
    );
  });

  it('names the repository, the kind and the grant', () => {
    expect(notificationKey(endingSoon('2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z'))).toBe(
      'vandelay/access:access-ending-soon:kramer/prod-data-read@2026-12-03T00:00:00Z',
    );
  });

  it('tells the same drift once whatever the order it was found in, and a new drift again', () => {
    expect(notificationKey(drift(['a', 'b']))).toBe(notificationKey(drift(['b', 'a'])));
    expect(notificationKey(drift(['a', 'b']))).not.toBe(notificationKey(drift(['a', 'b', 'c'])));
  });
});
