/** Liveness, as every service of the platform answers it (the launcher polls /readyz). */
export function GET(): Response {
  return Response.json({ status: 'ok', service: 'portal' });
}

export const dynamic = 'force-dynamic';
