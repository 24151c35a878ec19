import type { Department, ServiceSystem } from '@gx/migrations';

export function systemView(s: ServiceSystem & { department: Department }) {
  return {
    id: s.id,
    clientId: s.clientId,
    name: s.name,
    description: s.description,
    departmentCode: s.department.code,
    status: s.status,
    createdAt: s.createdAt.toISOString(),
  };
}
