/**
 * The search thesaurus (同义词表): words people type and the words directories use for the
 * same thing. Each line is one set of equivalents; a query phrase found in a set matches any
 * phrase of the set. Only general usage belongs here — common abbreviations of department
 * names (人社局 = 人力资源和社会保障局) and everyday words for official terms (低保 = 最低生活
 * 保障, 二手房 = 存量房) — never the name of one particular resource.
 */
export const SYNONYM_SETS: readonly (readonly string[])[] = [
  // department abbreviations (部门简称)
  ['人社局', '人力社保局', '人力资源和社会保障局', '人社'],
  ['市场监管局', '市场监督管理局', '市场监管', '工商局'],
  ['卫健委', '卫生健康委员会', '卫健局', '卫生健康局', '卫生局'],
  ['住建局', '住房和城乡建设局', '建委', '建设局'],
  ['房管局', '住房保障和房产管理局', '住保房管局'],
  ['规划资源局', '规划和自然资源局', '自然资源局', '国土局', '规划局'],
  ['文旅局', '文化广电旅游局', '文广旅游局', '旅游局', '文化局'],
  ['城管局', '城市管理局', '城管'],
  ['医保局', '医疗保障局'],
  ['应急局', '应急管理局', '安监局'],
  ['交通局', '交通运输局'],
  ['环保局', '生态环境局'],
  ['农业局', '农业农村局'],
  ['退役军人局', '退役军人事务局'],
  ['公积金中心', '住房公积金管理中心'],
  ['数据局', '大数据局', '数据资源管理局', '数据资源局'],
  ['发改委', '发展和改革委员会'],
  ['林水局', '林业水利局', '水利局', '林业局'],
  ['法院', '人民法院', '中院', '中级人民法院'],
  ['检察院', '人民检察院'],
  // everyday words for official terms
  ['社保', '社会保险'],
  ['医保', '医疗保险', '医疗保障'],
  ['公积金', '住房公积金'],
  ['低保', '最低生活保障'],
  ['身份证', '居民身份证'],
  ['户口', '户籍'],
  ['出生证', '出生证明', '出生医学证明'],
  ['结婚', '婚姻'],
  ['房产证', '不动产权证书', '不动产权证'],
  ['驾照', '驾驶证'],
  ['车辆', '机动车'],
  ['违章', '违法'],
  ['违建', '违章建筑', '违法建筑', '违法建设'],
  ['天气', '气象'],
  ['下雨', '降雨', '降水'],
  ['医院', '医疗机构'],
  ['看病', '就医', '就诊'],
  ['药店', '药房', '药品零售'],
  ['名单', '名录'],
  ['缴纳', '缴费', '缴存'],
  ['二手房', '存量房'],
  ['公租房', '公共租赁住房'],
  ['保租房', '保障性租赁住房'],
  ['个体户', '个体工商户'],
  ['年报', '年度报告'],
  ['危化品', '危险化学品'],
  ['老赖', '失信被执行人'],
  ['养老院', '养老机构', '敬老院'],
  ['失业金', '失业保险金'],
  ['退休金', '养老金'],
  ['出租车', '出租汽车', '的士'],
  ['公厕', '公共厕所'],
  ['狗证', '犬证', '养犬登记证'],
  ['狗', '犬只'],
  ['疫苗', '预防接种'],
  ['网吧', '互联网上网服务营业场所'],
  ['驾校', '驾驶员培训'],
  ['物价', '价格'],
  ['cpi', '居民消费价格指数'],
  ['gdp', '地区生产总值'],
  ['空气污染', '空气质量'],
  ['地铁', '轨道交通'],
  ['执照', '营业执照'],
  ['工商登记', '企业登记'],
];

/** Words typed around what is sought, dropped from the query before it is matched. */
export const NOISE_PHRASES: readonly string[] = [
  '我想查询',
  '我想查',
  '我想看',
  '我想要',
  '我想',
  '我要',
  '请问',
  '帮我',
  '查一下',
  '办理',
  '查询',
  '查找',
  '搜索',
  '在哪里',
  '在哪儿',
  '哪里',
  '怎么办',
  '怎么',
  '如何',
  '哪些',
  '什么',
  '一下',
  '的',
  '了',
  '吗',
  '呢',
];

/** Verbs that begin a query (查违章, 找律师) and are dropped there only: inside a word they stay
 * (调查, 检查). */
export const LEADING_NOISE: readonly string[] = ['查', '找', '搜'];

/**
 * Words nearly every entry carries: dropped from a query that has other words (信息 in
 * 企业登记信息 says nothing), kept when they are all it has.
 */
export const WEAK_WORDS: ReadonlySet<string> = new Set([
  '信息',
  '数据',
  '资料',
  '情况',
  '相关',
  '有关',
  '列表',
  '一览',
  '全部',
  '所有',
  '最新',
  '记录',
]);

/** phrase → its set of equivalents (the phrase itself included) */
export const SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map(
  SYNONYM_SETS.flatMap((set) => set.map((phrase) => [phrase, set] as const)),
);
