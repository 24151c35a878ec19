// A label and its text are joined the way the page's language writes it: a full-width colon in
// Chinese, ": " in English (Conditions for opening：… leaked into the English dataset page).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Downloads } from '../../portal/src/components/dataset/Downloads.tsx';
import type { Resource } from '../../portal/src/lib/api/catalog.ts';
import { messages } from '../../portal/src/lib/i18n/messages.ts';

const resource = (openType: 'open' | 'conditional') =>
  ({
    code: '105005006-002490250-000006',
    openType,
    openConditions: '仅限科研、公益和创新应用使用',
  }) as unknown as Resource;

const render = (locale: 'zh-CN' | 'en', openType: 'open' | 'conditional') =>
  renderToStaticMarkup(
    createElement(Downloads, {
      resource: resource(openType),
      baseUrl: 'http://127.0.0.1:4000',
      t: messages(locale),
    }),
  );

describe('the download area joins labels in the page’s language', () => {
  it('writes the open conditions and the download names with ": " in English', () => {
    expect(render('en', 'conditional')).toContain('Conditions for opening: <span lang="zh-CN">');
    const open = render('en', 'open');
    expect(open).not.toContain('：');
    expect(open).toMatch(/Downloads?: /);
  });

  it('keeps the full-width colon in Chinese', () => {
    expect(render('zh-CN', 'conditional')).toContain('开放条件：<span lang="zh-CN">');
    expect(render('zh-CN', 'open')).toContain('：');
  });
});
