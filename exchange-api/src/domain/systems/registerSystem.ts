import { randomBytes } from 'node:crypto';
import { Prisma, type PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, InputError, type Actor } from '@gx/platform';
import { writeSystemClient } from './systemClient.ts';
import { keycloakInstructions, type IdentityProviderMode } from './identityProviderMode.ts';
import { systemView } from './systemView.ts';

export interface RegisterSystemOptions {
  prisma: PrismaClient;
  identityProvider: IdentityProviderMode;
  actor: Actor;
  departmentCode: string;
  name: string;
  clientId?: string;
  description?: string;
}

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Register a department's system and create its OAuth2 client (client credentials). */
export async function registerSystem(options: RegisterSystemOptions) {
  const { prisma, actor, departmentCode } = options;
  authorize(actor, 'organisation.administer', { departmentCode }, 'write');
  const department = await prisma.department.findUnique({ where: { code: departmentCode } });
  if (!department) {
    throw new InputError(`没有编码为 ${departmentCode} 的部门`, [
      { path: '/body/departmentCode', message: '部门不存在' },
    ]);
  }
  const clientId = options.clientId ?? `${departmentCode}-${randomBytes(3).toString('hex')}`;
  const secret = newClientSecret();
  try {
    const system = await prisma.$transaction(async (tx) => {
      const created = await tx.serviceSystem.create({
        data: {
          departmentId: department.id,
          name: options.name,
          clientId,
          description: options.description ?? null,
        },
        include: { department: true },
      });
      // the client lives in the same database: created in the same transaction, or not at all
      if (options.identityProvider === 'embedded') {
        await writeSystemClient(tx, clientId, secret);
      }
      return created;
    });
    return options.identityProvider === 'embedded'
      ? { system: systemView(system), clientSecret: secret }
      : { system: systemView(system), keycloak: keycloakInstructions(clientId, departmentCode) };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError(`客户端 ID ${clientId} 已被使用`);
    }
    throw error;
  }
}
