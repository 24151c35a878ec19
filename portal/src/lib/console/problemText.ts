/**
 * Where a field problem is, for people: `/body/items/2/name` → 第 3 个信息项（name）, a plain field
 * by its name; the request part (`/body`, `/query`) and JSON pointer slashes are left out.
 */
export function problemPlace(path: string | undefined): string {
  const p = (path ?? '').replace(/^\/(?:body|query|params|headers)(?=\/|$)/, '');
  const item = /^\/items\/(\d+)(?:\/(.+))?$/.exec(p);
  if (item) return `第 ${Number(item[1]) + 1} 个信息项${item[2] ? `（${item[2]}）` : ''}`;
  return p.replace(/^\//, '').replace(/\//g, ' › ');
}

/**
 * The text of an API's problem+json answer for a flash message: its field problems, each with
 * where it is (problemPlace), after the title; else `detail`, else `title`.
 */
export function problemText(error: unknown, fallback: string): string {
  if (error && typeof error === 'object') {
    const { detail, title, errors } = error as {
      detail?: unknown;
      title?: unknown;
      errors?: { path?: string; message?: string }[];
    };
    const problems = (Array.isArray(errors) ? errors : [])
      .filter((e) => e?.message)
      .map((e) => `${problemPlace(e.path)} ${e.message}`.trim());
    const head =
      typeof detail === 'string' && detail ? detail : typeof title === 'string' ? title : '';
    // the platform's validation details are its field problems with their pointers: say them
    // by place instead; a detail of its own keeps the first problem beside it
    if (problems.length > 0 && typeof title === 'string' && title) {
      const listed = errors!.every((e) => !e?.message || head.includes(String(e.message)));
      return listed ? `${title}：${problems.join('；')}` : `${head}（${problems[0]}）`;
    }
    if (head) return head;
  }
  return fallback;
}
