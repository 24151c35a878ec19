// `npm run build -w @gx/portal`: the production build `npm start` and the tests use (reused when
// the sources have not changed).
import { ensurePortalBuild } from './ensurePortalBuild.ts';

const build = await ensurePortalBuild({ log: (message) => process.stdout.write(`${message}\n`) });
process.stdout.write(
  `${build.built ? 'built' : 'up to date'}: portal/${build.distDir} (${(build.ms / 1000).toFixed(1)} s)\n`,
);
