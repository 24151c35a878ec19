import path from 'node:path';
import type { NextConfig } from 'next';

/**
 * The portal's Next.js settings. `PORTAL_DIST_DIR` lets each build of different sources live in
 * its own folder (see server/ensurePortalBuild.ts), so a rebuild never pulls files from under a
 * portal that is still serving the previous build.
 */
const nextConfig: NextConfig = {
  distDir: process.env.PORTAL_DIST_DIR ?? '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` typechecks and lints the portal with the rest of the repository; doing it again
  // inside `next build` would only make the build slower
  typescript: { ignoreBuildErrors: true },
  // npm workspaces hoist next, react and openapi-fetch to the repository's node_modules
  turbopack: { root: path.resolve(import.meta.dirname, '..') },
  outputFileTracingRoot: path.resolve(import.meta.dirname, '..'),
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default nextConfig;
