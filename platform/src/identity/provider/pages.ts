const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · 政务数据共享交换平台</title>
<style>
  body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; background: #f3f5f8; color: #1f2329; margin: 0; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem 2.25rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  p.sub { color: #4e5969; margin: 0 0 1.5rem; }
  label { display: block; margin: 1rem 0 .35rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .6rem .7rem; font-size: 1rem; border: 1px solid #86909c; border-radius: 4px; }
  input:focus { outline: 3px solid #9ec5fe; border-color: #1d4ed8; }
  button { margin-top: 1.5rem; width: 100%; padding: .7rem; font-size: 1rem; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  button:focus { outline: 3px solid #9ec5fe; }
  .error { background: #fdecee; color: #a8071a; padding: .6rem .8rem; border-radius: 4px; margin-bottom: 1rem; }
  .alt { margin-top: 1.25rem; text-align: center; }
  a { color: #1d4ed8; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function loginPage(options: {
  uid: string;
  clientName: string;
  error?: string;
  login?: string;
}): string {
  return layout(
    '登录',
    `<h1>登录</h1>
<p class="sub">继续访问「${escape(options.clientName)}」</p>
${options.error ? `<p class="error" role="alert">${escape(options.error)}</p>` : ''}
<form method="post" action="/interaction/${escape(options.uid)}/login" autocomplete="on">
  <label for="login">用户名或邮箱</label>
  <input id="login" name="login" value="${escape(options.login)}" required autofocus autocomplete="username">
  <label for="password">密码</label>
  <input id="password" name="password" type="password" required autocomplete="current-password">
  <button type="submit">登录</button>
</form>
<p class="alt">还没有账号？<a href="/interaction/${escape(options.uid)}/signup">注册开发者账号</a></p>`,
  );
}

export function signupPage(options: {
  uid: string;
  error?: string;
  values?: { username?: string; displayName?: string; email?: string };
}): string {
  const v = options.values ?? {};
  return layout(
    '注册开发者账号',
    `<h1>注册开发者账号</h1>
<p class="sub">注册后可申请 API key、调用开放数据接口</p>
${options.error ? `<p class="error" role="alert">${escape(options.error)}</p>` : ''}
<form method="post" action="/interaction/${escape(options.uid)}/signup">
  <label for="username">用户名（字母、数字、点、横线，3–32 位）</label>
  <input id="username" name="username" value="${escape(v.username)}" required pattern="[A-Za-z0-9][A-Za-z0-9._-]{2,31}" autocomplete="username">
  <label for="displayName">姓名或昵称</label>
  <input id="displayName" name="displayName" value="${escape(v.displayName)}" required maxlength="50" autocomplete="name">
  <label for="email">邮箱</label>
  <input id="email" name="email" type="email" value="${escape(v.email)}" required autocomplete="email">
  <label for="password">密码（至少 10 位）</label>
  <input id="password" name="password" type="password" required minlength="10" autocomplete="new-password">
  <button type="submit">注册并登录</button>
</form>
<p class="alt"><a href="/interaction/${escape(options.uid)}">已有账号，去登录</a></p>`,
  );
}
