import type { ConsoleShellText } from '../i18n/console/shell.ts';
import type { Staff, StaffRole } from './staff.ts';

export interface ConsoleLink {
  href: string;
  label: keyof ConsoleShellText['links'];
  /** who sees the link (the page checks the same roles, the API checks again) */
  roles: readonly StaffRole[];
}

export interface ConsoleGroup {
  label: keyof ConsoleShellText['groups'];
  links: readonly ConsoleLink[];
}

/**
 * The console's pages by role. Each page passes its own entry's roles to `requireStaff`, so the
 * navigation and the page's gate never disagree.
 */
export const CONSOLE_AREAS = {
  resources: { href: '/console/resources', label: 'resources', roles: ['steward'] },
  import: { href: '/console/import', label: 'import', roles: ['steward'] },
  objections: { href: '/console/objections', label: 'objections', roles: ['steward'] },
  requests: { href: '/console/requests', label: 'requests', roles: ['steward'] },
  myRequests: { href: '/console/my-requests', label: 'myRequests', roles: ['steward'] },
  connectors: {
    href: '/console/connectors',
    label: 'connectors',
    roles: ['steward', 'platform-admin'],
  },
  reviews: { href: '/console/reviews', label: 'reviews', roles: ['approver'] },
  sharingRequests: {
    href: '/console/sharing-requests',
    label: 'sharingRequests',
    roles: ['approver'],
  },
  grants: { href: '/console/grants', label: 'grants', roles: ['approver'] },
  evidence: {
    href: '/console/evidence',
    label: 'evidence',
    roles: ['steward', 'approver', 'auditor', 'platform-admin'],
  },
  openApplications: {
    href: '/console/open-applications',
    label: 'openApplications',
    roles: ['steward', 'approver'],
  },
  dashboard: {
    href: '/console/dashboard',
    label: 'dashboard',
    roles: ['platform-admin', 'auditor', 'approver', 'steward'],
  },
  organisation: { href: '/console/organisation', label: 'organisation', roles: ['platform-admin'] },
} as const satisfies Record<string, ConsoleLink>;

export type ConsoleArea = keyof typeof CONSOLE_AREAS;

/**
 * An area in a group, shown there only to these roles (default: the area's own), and with
 * `dataAuthority` only to staff of (true) or outside (false) the data authority.
 */
type GroupArea =
  ConsoleArea | { area: ConsoleArea; roles: readonly StaffRole[]; dataAuthority?: boolean };

const GROUPS: readonly { label: ConsoleGroup['label']; areas: readonly GroupArea[] }[] = [
  {
    label: 'steward',
    areas: [
      'resources',
      'import',
      'myRequests',
      'objections',
      'requests',
      'connectors',
      // a department's own 数据看板, in its own group (数据主管部门 is the authority's)
      { area: 'dashboard', roles: ['steward'], dataAuthority: false },
    ],
  },
  {
    label: 'approver',
    areas: [
      'reviews',
      'sharingRequests',
      'grants',
      'openApplications',
      { area: 'evidence', roles: ['steward', 'approver'] },
      { area: 'dashboard', roles: ['approver'], dataAuthority: false },
    ],
  },
  {
    label: 'authority',
    // 交换记录 of any department, for auditors and the platform's admin
    areas: [
      'dashboard',
      { area: 'evidence', roles: ['auditor', 'platform-admin'] },
      'organisation',
    ],
  },
];

export function mayUse(staff: Staff, area: ConsoleArea): boolean {
  return CONSOLE_AREAS[area].roles.some((r: StaffRole) => staff.roles.has(r));
}

/** Areas only the data authority's staff have work in (the catalog lets only them review). */
const AUTHORITY_ONLY: readonly ConsoleArea[] = ['reviews'];

/**
 * The groups of links this member of staff may use; empty groups are left out. 目录审核 is
 * offered to approvers of the data authority only (`dataAuthority`: the staff's department is
 * it); another department's approver would find an empty list there.
 */
export function consoleNavigation(
  staff: Staff,
  { dataAuthority }: { dataAuthority: boolean } = { dataAuthority: true },
): ConsoleGroup[] {
  const shown = new Set<string>();
  return GROUPS.map((g) => ({
    label: g.label,
    links: g.areas
      .filter((entry) => {
        const area = typeof entry === 'string' ? entry : entry.area;
        const roles = typeof entry === 'string' ? CONSOLE_AREAS[area].roles : entry.roles;
        const place = typeof entry === 'string' ? undefined : entry.dataAuthority;
        const offered =
          roles.some((r: StaffRole) => staff.roles.has(r)) &&
          (dataAuthority || !AUTHORITY_ONLY.includes(area)) &&
          (place === undefined || place === dataAuthority) &&
          !shown.has(area);
        if (offered) shown.add(area);
        return offered;
      })
      .map((entry) => CONSOLE_AREAS[typeof entry === 'string' ? entry : entry.area]),
  })).filter((g) => g.links.length > 0);
}
