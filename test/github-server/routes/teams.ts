import { requireInstallation } from '../auth.js';
import { notFound, paginate, type Router } from '../http.js';
import type { GitHubState } from '../state.js';

/**
 * Team membership (the app's Members permission): `GET /orgs/{org}/teams/{team_slug}/members`, paginated,
 * each member as a user. A team the state does not hold is 404, as GitHub answers for a team the
 * installation cannot see. Names are matched case-insensitively, as GitHub does.
 */
export function registerTeams(router: Router, state: GitHubState): void {
  router.get('/orgs/:org/teams/:slug/members', (req) => {
    requireInstallation(req.caller);
    const members = state.teams.get(`${req.params.org}/${req.params.slug}`.toLowerCase());
    if (!members) throw notFound();
    return paginate(req, members.map((login) => {
      const user = state.user(login);
      return { login: user.login, id: user.id, type: user.type };
    }));
  });
}
