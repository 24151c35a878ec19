/** Laws that demo entries marked 不予共享 cite as their legal basis. */
export const LAW = {
  personalInformation: '《中华人民共和国个人信息保护法》第十三条、第二十八条',
  personalSensitive:
    '《中华人民共和国个人信息保护法》第二十八条（敏感个人信息）及《中华人民共和国居民身份证法》第六条',
  exitEntry: '《中华人民共和国出境入境管理法》第八十五条及《中华人民共和国个人信息保护法》第十三条',
  tax: '《中华人民共和国税收征收管理法》第八条（纳税人涉税信息保密）',
  statistics: '《中华人民共和国统计法》第九条（统计调查对象的个人信息和商业秘密保密）',
  minors: '《中华人民共和国未成年人保护法》第七十二条',
  infectiousDisease: '《中华人民共和国传染病防治法》第十二条',
  medicalRecords: '《医疗机构病历管理规定》第六条及《中华人民共和国个人信息保护法》第二十八条',
  mentalHealth: '《中华人民共和国精神卫生法》第四条',
  criminalRecords: '《中华人民共和国刑事诉讼法》第二百八十六条（未成年人犯罪记录封存）',
  stateSecrets: '《中华人民共和国保守国家秘密法》第十三条',
  dataSecurity: '《中华人民共和国数据安全法》第二十一条（重要数据保护）',
  adoption: '《中华人民共和国民法典》第一千一百一十条（收养秘密）',
  personnelFiles:
    '《干部人事档案工作条例》第三十条（档案保密）及《中华人民共和国个人信息保护法》第二十八条',
  drugControl: '《中华人民共和国禁毒法》第三十三条及《中华人民共和国个人信息保护法》第二十八条',
  militaryService: '《中华人民共和国退役军人保障法》第八条及《中华人民共和国保守国家秘密法》',
} as const;

/** 共享条件 of conditionally shared entries. */
export const SHARING_CONDITIONS = {
  personal:
    '仅向依法履行相关职责的部门共享；使用部门须说明用途和法律依据，经提供部门审核同意后按最小必要原则通过接口查询核验，不得用于其他目的或向第三方提供。',
  business:
    '向因履行职责需要使用的部门共享，使用部门提出申请并经提供部门审核同意；数据仅限申请用途使用。',
  statistics: '向政府部门共享用于决策分析，对外引用须注明来源。',
} as const;

/** 开放条件 of conditionally opened entries. */
export const OPEN_CONDITIONS =
  '向通过实名认证的单位和个人开放，申请时说明用途并签署数据利用协议，仅限科研、公益和创新应用使用。';
