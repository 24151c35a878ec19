import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The portal workspace (this file lives in portal/server/). */
export const PORTAL_DIR = path.resolve(import.meta.dirname, '..');

/** What the build depends on besides the sources under src/. */
const INPUT_FILES = ['next.config.ts', 'package.json', 'tsconfig.json'];
const DONE_MARKER = '.gx-build-complete';
/** builds of other sources kept beside the current one (a running portal may still use one) */
const KEEP_OTHER_BUILDS = 2;

export interface EnsurePortalBuildOptions {
  portalDir?: string;
  log?: (message: string) => void;
}

export interface PortalBuild {
  /** the build's folder, relative to the portal (what PORTAL_DIST_DIR must say at start) */
  distDir: string;
  /** false: an existing build of the same sources was reused */
  built: boolean;
  /** how long this call took, building or waiting for another process's build */
  ms: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * A digest of everything `next build` reads of ours, plus the Next.js version: equal digests
 * mean the existing build is still right.
 */
export async function portalSourceHash(portalDir: string = PORTAL_DIR): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await filesUnder(path.join(portalDir, 'src'))),
    ...INPUT_FILES.map((f) => path.join(portalDir, f)),
  ];
  for (const file of files) {
    hash.update(path.relative(portalDir, file)).update('\0');
    hash.update(await readFile(file)).update('\0');
  }
  const nextPackage = createRequire(path.join(portalDir, 'package.json')).resolve(
    'next/package.json',
  );
  hash.update((JSON.parse(await readFile(nextPackage, 'utf8')) as { version: string }).version);
  return hash.digest('hex').slice(0, 16);
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Take the build lock (a directory: mkdir is atomic). A lock whose owner died is broken;
 * a live owner's build is waited for.
 */
async function acquireLock(lockDir: string, doneFile: string): Promise<boolean> {
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'pid'), String(process.pid));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await exists(doneFile)) return false;
    const owner = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'));
    if (Number.isInteger(owner) && !isAlive(owner)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function runNextBuild(portalDir: string, distDir: string): Promise<void> {
  const nextBin = createRequire(path.join(portalDir, 'package.json')).resolve('next/dist/bin/next');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: portalDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORTAL_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `next build failed (${code ?? signal}):\n${output.split('\n').slice(-40).join('\n')}`,
            ),
          ),
    );
  });
}

async function pruneOldBuilds(portalDir: string, current: string): Promise<void> {
  const root = path.join(portalDir, '.next');
  const others = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && e.name.startsWith('build-') && e.name !== current)
    .map((e) => path.join(root, e.name));
  const dated = await Promise.all(
    others.map(async (dir) => ({ dir, mtime: (await stat(dir)).mtimeMs })),
  );
  dated.sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of dated.slice(KEEP_OTHER_BUILDS))
    await rm(dir, { recursive: true, force: true });
}

/**
 * A production build of the portal's current sources: reused when one exists, otherwise made
 * once (`next build` takes 30–60 s on two cores) — whoever asks at the same time (`npm start`,
 * the test suite's files) waits for the same build instead of starting another. Each source
 * digest builds into its own folder (.next/build-<digest>), so a rebuild never removes files
 * from under a portal that still serves the previous build.
 */
export async function ensurePortalBuild(
  options: EnsurePortalBuildOptions = {},
): Promise<PortalBuild> {
  const started = Date.now();
  const portalDir = options.portalDir ?? PORTAL_DIR;
  const name = `build-${await portalSourceHash(portalDir)}`;
  const distDir = path.join('.next', name);
  const absolute = path.join(portalDir, distDir);
  const doneFile = path.join(absolute, DONE_MARKER);
  if (await exists(doneFile)) return { distDir, built: false, ms: Date.now() - started };

  await mkdir(path.join(portalDir, '.next'), { recursive: true });
  const lockDir = `${absolute}.lock`;
  if (!(await acquireLock(lockDir, doneFile))) {
    return { distDir, built: false, ms: Date.now() - started };
  }
  try {
    if (await exists(doneFile)) return { distDir, built: false, ms: Date.now() - started };
    options.log?.(`building the portal (next build → portal/${distDir}) …`);
    await runNextBuild(portalDir, distDir);
    await writeFile(doneFile, new Date().toISOString());
    await pruneOldBuilds(portalDir, name);
    return { distDir, built: true, ms: Date.now() - started };
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
