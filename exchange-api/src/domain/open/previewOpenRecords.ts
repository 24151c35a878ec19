import { queryOpenRecords, type QueryOpenRecordsOptions } from './queryOpenRecords.ts';

/**
 * 数据预览 for the portal's dataset page: the first records (or the page after `after`) with
 * the delivered columns' Chinese labels; public for 无条件开放 resources.
 */
export async function previewOpenRecords(
  options: Omit<QueryOpenRecordsOptions, 'access' | 'filter' | 'fields' | 'order'>,
) {
  const { opened, body, receipt } = await queryOpenRecords({ ...options, access: 'preview' });
  const masks = opened.policy.policy.masks ?? {};
  const items = new Map(opened.items.map((i) => [i.name, i]));
  const columns = opened.policy.policy.fields
    .filter((f) => masks[f]?.kind !== 'redact')
    .map((f) => {
      const item = items.get(f)!;
      return { name: f, label: item.label, dataType: item.dataType, unit: item.unit };
    });
  return {
    body: {
      resource: {
        code: opened.resourceCode,
        name: opened.name,
        openType: opened.openType,
        openConditions: opened.openConditions,
      },
      columns,
      ...body,
    },
    receipt,
  };
}
