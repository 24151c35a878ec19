import { fork, type ChildProcess } from 'node:child_process';
import { SERVICE_NODE_FLAGS } from '@gx/platform';

export interface ChildServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** The message a server script sends its parent once it listens. */
export interface ListeningMessage {
  listening: { port: number };
}

/**
 * Start a server script (`node --import tsx <file> ...args`) in its own process so that it has
 * an event loop (and, on a 2-core machine, a core) to itself, apart from the load driver. The
 * script reports its port over IPC; it exits when told to or when this process goes away.
 */
export function startChildServer(
  file: string,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<ChildServer> {
  const child = fork(file, [...args], {
    execArgv: [
      ...SERVICE_NODE_FLAGS,
      // a CPU profile per server process, for finding where a subject's time goes
      // extra V8 or Node flags for an experiment (e.g. `--trace-gc`), space-separated
      ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
      ...(process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
        : []),
      '--import',
      'tsx',
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<ChildServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not start listening within ${timeoutMs} ms`));
    }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before listening (code ${code}, signal ${signal})`));
    };
    child.once('exit', onExit);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('message', (message: Partial<ListeningMessage>) => {
      if (!message.listening) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        base: `http://127.0.0.1:${message.listening.port}`,
        pid: child.pid!,
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
