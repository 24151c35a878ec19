import type { Prisma } from '@gx/migrations';
import { systemClientMetadata } from '@gx/platform';

/** Create or replace a system's client in the embedded provider's storage (oidc_payloads). */
export async function writeSystemClient(
  tx: Prisma.TransactionClient,
  clientId: string,
  secret: string,
) {
  const payload = systemClientMetadata(clientId, secret);
  await tx.oidcPayload.upsert({
    where: { id_type: { id: clientId, type: 'Client' } },
    create: { id: clientId, type: 'Client', payload },
    update: { payload },
  });
}

/** Remove it: the client can no longer obtain tokens (tokens already issued expire on their own). */
export async function removeSystemClient(tx: Prisma.TransactionClient, clientId: string) {
  await tx.oidcPayload.deleteMany({ where: { id: clientId, type: 'Client' } });
}
