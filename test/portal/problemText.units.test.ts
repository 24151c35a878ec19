import { describe, expect, it } from 'vitest';
import { problemPlace, problemText } from '../../portal/src/lib/console/problemText.ts';

describe('problem text in the console', () => {
  it('says where a field problem is without JSON pointers', () => {
    expect(problemPlace('/body/items/0/name')).toBe('第 1 个信息项（name）');
    expect(problemPlace('/items/2')).toBe('第 3 个信息项');
    expect(problemPlace('/recordKey')).toBe('recordKey');
    expect(problemPlace('/query/pageSize')).toBe('pageSize');
    expect(problemPlace('/options/source/table')).toBe('options › source › table');
    expect(problemPlace(undefined)).toBe('');
  });

  it("lists the validator's problems by place after the title", () => {
    expect(
      problemText(
        {
          title: '请求参数无效',
          detail: '/body/items/0/name 格式不正确；/body/name 必填',
          errors: [
            { path: '/body/items/0/name', message: '格式不正确' },
            { path: '/body/name', message: '必填' },
          ],
        },
        '保存失败',
      ),
    ).toBe('请求参数无效：第 1 个信息项（name） 格式不正确；name 必填');
  });

  it('keeps a detail of its own, with the first problem beside it', () => {
    expect(
      problemText(
        {
          title: '请求参数无效',
          detail: '数据异议有误',
          errors: [{ path: '/recordKey', message: '没有主键为 NO-SUCH-KEY 的记录' }],
        },
        '提交失败',
      ),
    ).toBe('数据异议有误（recordKey 没有主键为 NO-SUCH-KEY 的记录）');
    expect(problemText({ title: '冲突', detail: '申请已处理' }, '失败')).toBe('申请已处理');
    expect(problemText(undefined, '失败')).toBe('失败');
  });
});
