import { describe, expect, it } from '@jest/globals';
import type { ApprovalResult, GrantEvaluation, RoleEvaluation } from '../../../src/core/approval/approval-result.js';
import { chooseReviewRequests, MAX_REVIEW_REQUESTS, type ReviewRequestContext } from '../../../src/core/approval/choose-review-requests.js';

function role(name: string, candidates: string[], status: RoleEvaluation['status'] = 'missing'): RoleEvaluation {
  return { role: name, status, candidates, why: '' };
}

function result(roles: RoleEvaluation[], status: ApprovalResult['status'] = 'pending'): ApprovalResult {
  const grant: GrantEvaluation = { file: 'access/grants/dev/x.yaml', line: 1, user: 'dev', resource: 'x', change: 'new', status, required: roles.map((r) => r.role), roles, errors: [], why: '' };
  return { status, approved: status === 'approved', touchesAccess: true, grants: [grant], errors: [], warnings: [], approvals: [], ignoredReviews: [], why: '' };
}

const none: ReviewRequestContext = { author: 'dev', reviews: [], requestedNow: [], requestedBefore: [] };

describe('chooseReviewRequests', () => {
  it.each([
    ['asks everyone who can fill a missing role, once each', [role('manager', ['mgr']), role('owner', ['o1', 'mgr'])], none, ['mgr', 'o1']],
    ['asks nobody for a role already filled', [role('manager', ['mgr'], 'satisfied'), role('owner', ['o1'])], none, ['o1']],
    ['never asks the author, whatever the case of the login', [role('owner', ['Dev', 'o1'])], none, ['o1']],
    ['never asks a bot', [role('owner', ['helper[bot]', 'o1'])], none, ['o1']],
    ['never asks someone who already reviewed, on any commit', [role('owner', ['o1', 'o2'])], { ...none, reviews: [{ reviewer: 'O1', state: 'COMMENTED' as const, commitSha: 'old', submittedAt: '' }] }, ['o2']],
    ['never asks someone asked now or before', [role('owner', ['o1', 'o2', 'o3'])], { ...none, requestedNow: ['o1'], requestedBefore: ['o2'] }, ['o3']],
  ])('%s', (_name, roles, context, expected) => {
    expect(chooseReviewRequests(result(roles), context)).toEqual(expected);
  });

  it('asks nobody while files are invalid, or once approved', () => {
    expect(chooseReviewRequests(result([role('owner', ['o1'])], 'invalid'), none)).toEqual([]);
    expect(chooseReviewRequests(result([role('owner', ['o1'], 'satisfied')], 'approved'), none)).toEqual([]);
  });

  it(`asks at most ${MAX_REVIEW_REQUESTS} people over a pull request's life`, () => {
    const many = Array.from({ length: 40 }, (_, i) => `p${i}`);
    expect(chooseReviewRequests(result([role('executive', many)]), none)).toHaveLength(MAX_REVIEW_REQUESTS);
    expect(chooseReviewRequests(result([role('executive', many)]), { ...none, requestedBefore: many.slice(0, 10) })).toEqual(many.slice(10, 15));
  });
});
