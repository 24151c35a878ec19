import type { Actor } from '@gx/platform';

/** How history records who acted. */
export function actorName(actor: Actor): { actor: string; actorKind: string } {
  switch (actor.kind) {
    case 'anonymous':
      return { actor: 'anonymous', actorKind: 'anonymous' };
    case 'api-key':
      return { actor: `api-key:${actor.keyId}`, actorKind: 'api-key' };
    default:
      return { actor: actor.username, actorKind: actor.kind };
  }
}
