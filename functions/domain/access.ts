/**
 * Who may see and act on which complaints in the console. People sign in with the carrier's identity
 * (an Amazon Cognito user pool on AWS, a chosen identity locally) and carry group names:
 * - `<team>:supervisor` (for example `customer-service:supervisor`): that team's complaints, and
 *   acknowledging their escalations (H-08: the supervisor takes an escalated complaint over);
 * - `management`: every team's complaints, and acknowledging any escalation (H-24: major and
 *   urgent complaints involve management);
 * - `operations`: every team's complaints, read-only (they run the stack: failed complaints, redrive).
 * Unknown group names are ignored; a person with none of these sees nothing.
 */
import { TEAMS, type Team } from './types';

export const MANAGEMENT_GROUP = 'management';
export const OPERATIONS_GROUP = 'operations';
export const supervisorGroup = (team: Team): string => `${team}:supervisor`;

/** Every group the product knows, as the user pool creates them. */
export const ACCESS_GROUPS: readonly string[] = [...TEAMS.map(supervisorGroup), MANAGEMENT_GROUP, OPERATIONS_GROUP];

/** A signed-in person, as the authorizer (or the local sign-in) describes them. */
export interface Viewer {
  /** Stable id from the identity provider (the token's `sub`). */
  readonly id: string;
  /** What the audit trail records as the actor: the email when known, else the id. */
  readonly name: string;
  readonly groups: readonly string[];
}

export interface Access {
  /** Teams whose complaints and quality figures this person sees, in TEAMS order. */
  readonly teams: readonly Team[];
  /** True when this person sees every team (management, operations). */
  readonly allTeams: boolean;
  /** Teams whose escalations this person may acknowledge. */
  readonly acknowledges: readonly Team[];
}

export function accessOf(viewer: Viewer): Access {
  const groups = new Set(viewer.groups);
  const management = groups.has(MANAGEMENT_GROUP);
  const supervised = TEAMS.filter((team) => groups.has(supervisorGroup(team)));
  const allTeams = management || groups.has(OPERATIONS_GROUP);
  return {
    teams: allTeams ? TEAMS : supervised,
    allTeams,
    acknowledges: management ? TEAMS : supervised,
  };
}

/** A complaint not yet classified belongs to no team: only those who see every team see it. */
export function maySee(access: Access, team: Team | undefined): boolean {
  return team === undefined ? access.allTeams : access.teams.includes(team);
}

export function mayAcknowledge(access: Access, team: Team | undefined): boolean {
  return team !== undefined && access.acknowledges.includes(team);
}
