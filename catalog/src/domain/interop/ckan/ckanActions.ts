import type { CkanContext } from './ckanContext.ts';
import { CkanNotFoundError } from './ckanErrors.ts';
import { requiredText, type DataDict } from './ckanParams.ts';
import { groupList, groupShow, organizationList, organizationShow } from './groupActions.ts';
import { packageSearch } from './packageSearch.ts';
import { packageList, packageShow } from './packageShow.ts';
import { statusShow, tagList } from './siteActions.ts';

export type CkanAction = (ctx: CkanContext, dict: DataDict) => Promise<unknown>;

interface ActionEntry {
  run: CkanAction;
  /** what help_show answers: the parameters this catalogue reads */
  help: string;
}

/**
 * The CKAN actions this catalogue answers, all read-only (CKAN's "side-effect free" actions,
 * callable with GET). An action not listed is "Action name not known", as on a CKAN site
 * without the extension that provides it.
 */
const ACTIONS: Record<string, ActionEntry> = {
  package_search: {
    run: packageSearch,
    help: '检索数据集。参数：q（全文检索词，或 Lucene 字段语法，如 tags:空气质量）、fq、fq_list、rows（默认 10，最多 1000）、start、sort（默认 score desc, metadata_modified desc）、facet、facet.field（organization、groups、tags、res_format、license_id）、facet.limit、facet.mincount、fl。',
  },
  package_show: {
    run: packageShow,
    help: '查看一个数据集。参数：id（数据集 id 或 name，即信息资源代码，不区分大小写）。',
  },
  package_list: {
    run: packageList,
    help: '列出可见数据集的 name。参数：limit、offset。',
  },
  organization_list: {
    run: organizationList,
    help: '列出组织（部门）。参数：all_fields、sort（title、name、package_count）、limit、offset、q、organizations。',
  },
  organization_show: {
    run: organizationShow,
    help: '查看一个组织（部门）。参数：id（部门 id 或代码）、include_datasets。',
  },
  group_list: {
    run: groupList,
    help: '列出群组（主题）。参数：all_fields、sort、limit、offset、q、groups。',
  },
  group_show: {
    run: groupShow,
    help: '查看一个群组（主题）。参数：id（主题代码或 id）、include_datasets。',
  },
  tag_list: {
    run: tagList,
    help: '列出标签（关键词）。参数：query、all_fields。',
  },
  status_show: {
    run: (ctx) => statusShow(ctx),
    help: '站点状态：兼容的 CKAN 版本、站点名称、默认语言。',
  },
  help_show: {
    run: (_ctx, dict) => Promise.resolve(helpShow(dict)),
    help: '查看一个操作的说明。参数：name。',
  },
};

function helpShow(dict: DataDict): string {
  const name = requiredText(dict, 'name');
  const entry = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!entry) throw new CkanNotFoundError('没有这个操作');
  return entry.help;
}

/** The action of this name, or undefined (CKAN's "Action name not known"). */
export function ckanAction(name: string): CkanAction | undefined {
  return Object.hasOwn(ACTIONS, name) ? ACTIONS[name]!.run : undefined;
}

export const CKAN_ACTIONS = Object.keys(ACTIONS);
