import { InputError } from '@gx/platform';

/**
 * A harvest source's address: absolute http(s), a host, no credentials in it (they would be
 * shown to every admin and written to logs) and no fragment. Returns the normalised URL.
 */
export function validateSourceUrl(value: string, path = '/url'): string {
  const refuse = (message: string) => new InputError('来源地址无效', [{ path, message }]);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw refuse('不是有效的网址');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse('只支持 http 或 https 地址');
  }
  if (!url.hostname) throw refuse('缺少主机名');
  if (url.username || url.password) throw refuse('地址中不能包含用户名或密码');
  if (url.hash) throw refuse('地址中不能包含 # 片段');
  const normalised = url.toString();
  if (normalised.length > 2000) throw refuse('地址过长（最多 2000 个字符）');
  return normalised;
}
