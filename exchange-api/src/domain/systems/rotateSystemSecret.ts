import type { PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, NotFoundError, type Actor } from '@gx/platform';
import { keycloakInstructions, type IdentityProviderMode } from './identityProviderMode.ts';
import { newClientSecret } from './registerSystem.ts';
import { writeSystemClient } from './systemClient.ts';
import { systemView } from './systemView.ts';

export interface RotateSystemSecretOptions {
  prisma: PrismaClient;
  identityProvider: IdentityProviderMode;
  actor: Actor;
  clientId: string;
}

/** Issue a new client secret; the old one stops working at once. */
export async function rotateSystemSecret({
  prisma,
  identityProvider,
  actor,
  clientId,
}: RotateSystemSecretOptions) {
  const system = await prisma.serviceSystem.findUnique({
    where: { clientId },
    include: { department: true },
  });
  if (!system) throw new NotFoundError(`没有客户端 ID 为 ${clientId} 的业务系统`);
  authorize(actor, 'organisation.administer', { departmentCode: system.department.code }, 'write');
  if (system.status !== 'active') throw new ConflictError('系统已停用，不能轮换密钥');
  if (identityProvider === 'external') {
    return {
      system: systemView(system),
      keycloak: keycloakInstructions(clientId, system.department.code),
    };
  }
  const secret = newClientSecret();
  await prisma.$transaction((tx) => writeSystemClient(tx, clientId, secret));
  return { system: systemView(system), clientSecret: secret };
}
