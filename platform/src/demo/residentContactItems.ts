/**
 * The fields of the demo "居民联系方式" resource (公安局's residents' contact details: personal data,
 * conditional sharing) that the exchange's tests, benchmarks and the system under test publish and
 * grant with masks. A fresh array on every call, so no caller can change another's.
 */
export function residentContactItems() {
  return [
    {
      name: 'id_number',
      label: '公民身份号码',
      dataType: 'string' as const,
      maxLength: 18,
      isKey: true,
      isPersonal: true,
      dataGrade: 'important' as const,
    },
    {
      name: 'name',
      label: '姓名',
      dataType: 'string' as const,
      isRequired: true,
      isPersonal: true,
    },
    { name: 'mobile', label: '手机号码', dataType: 'string' as const, isPersonal: true },
    { name: 'address', label: '居住地址', dataType: 'string' as const, isPersonal: true },
    { name: 'district', label: '所属区县', dataType: 'string' as const },
  ];
}
