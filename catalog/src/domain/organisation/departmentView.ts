import type { Department, Region } from '@gx/migrations';

export interface DepartmentView {
  code: string;
  name: string;
  shortName: string | null;
  kind: Department['kind'];
  /** null only for a department created by harvesting for a publisher that gave none */
  unifiedSocialCreditCode: string | null;
  regionCode: string;
  regionName: string;
  /** the data authority (数据资源管理局): its approvers review directory entries */
  isDataAuthority: boolean;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  updatedAt: string;
}

export function departmentView(d: Department & { region: Region }): DepartmentView {
  return {
    code: d.code,
    name: d.name,
    shortName: d.shortName,
    kind: d.kind,
    unifiedSocialCreditCode: d.unifiedSocialCreditCode,
    regionCode: d.region.code,
    regionName: d.region.name,
    isDataAuthority: d.isDataAuthority,
    contactName: d.contactName,
    contactPhone: d.contactPhone,
    contactEmail: d.contactEmail,
    updatedAt: d.updatedAt.toISOString(),
  };
}
