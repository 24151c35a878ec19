import type { ResourceStatus } from '@gx/migrations';

/**
 * The names of a directory entry's states in the catalog's messages, as national directory
 * practice and the console say them: 草稿, 审核中, 已发布, 已下线.
 */
export const RESOURCE_STATUS_LABEL: Readonly<Record<ResourceStatus, string>> = {
  draft: '草稿',
  in_review: '审核中',
  published: '已发布',
  retired: '已下线',
};

/** The name of a state; the code itself if unknown. */
export function resourceStatusLabel(status: string): string {
  return RESOURCE_STATUS_LABEL[status as ResourceStatus] ?? status;
}
