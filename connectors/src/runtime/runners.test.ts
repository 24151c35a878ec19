import { describe, expect, it } from 'vitest';
import type { Logger } from '@gx/platform';
import { until } from '@gx/platform/testing';
import { Runner, type RunnerDeps, type TaskReporter } from './runners.ts';

/** what the status API would show for the task, call by call */
function recordingReporter() {
  const calls: string[] = [];
  const reporter: TaskReporter = {
    ok: async () => void calls.push('RUNNING'),
    failed: async (message) => void calls.push(`FAILED ${message}`),
    problem: async (message) => void calls.push(`problem ${message}`),
  };
  return { calls, reporter };
}

const quiet = { warn() {}, info() {}, error() {} } as unknown as Logger;

/**
 * A task like a file-drop source whose directory is missing: opening does nothing, the first
 * poll fails; the second waits until the test lets it finish.
 */
class FailingOnce extends Runner {
  #open = false;
  steps = 0;
  release!: () => void;
  readonly secondStep = new Promise<void>((resolve) => (this.release = resolve));
  protected ready() {
    return this.#open;
  }
  protected async open() {
    this.#open = true;
  }
  protected async step() {
    this.steps += 1;
    if (this.steps === 1) throw new Error('无法读取投递目录 /data/in: ENOENT');
    await this.secondStep;
    return false;
  }
  protected idle() {
    return this.sleep(10_000);
  }
  protected async reset() {
    this.#open = false;
  }
  protected async close() {}
}

describe('a task that failed', () => {
  it('stays FAILED while it retries, and is RUNNING again only once a step succeeds', async () => {
    const { calls, reporter } = recordingReporter();
    const runner = new FailingOnce({ logger: quiet } as RunnerDeps, reporter, 'source:test');
    runner.start();
    // reopened after the backoff, its second poll under way: nothing has worked yet
    await until('the second step', async () => (runner.steps === 2 ? true : undefined));
    expect(calls).toEqual(['RUNNING', 'FAILED 无法读取投递目录 /data/in: ENOENT']);
    runner.release();
    await until('the task to be running again', async () =>
      calls.length === 3 ? true : undefined,
    );
    expect(calls.at(-1)).toBe('RUNNING');
    await runner.stop();
  });
});
