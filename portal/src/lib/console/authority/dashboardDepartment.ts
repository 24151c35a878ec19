const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The department a dashboard URL asks for (`?department=`): a department code, or undefined for
 * the caller's default scope. Anything that cannot be a code is passed on as asked, so that the
 * API refuses it and the page says so instead of silently showing something else.
 */
export function dashboardDepartment(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return DEPARTMENT_CODE.test(value) ? value : value.slice(0, 64);
}
