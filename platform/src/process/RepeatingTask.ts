/**
 * A background job's schedule: `pass` runs again and again, each time `intervalMs` after the
 * previous pass ended, so that the passes of one process never overlap. The timer does not
 * keep the process alive. `pass` is expected to log its own failures; a rejection it lets
 * through goes to `onError` and the schedule goes on.
 */
export class RepeatingTask {
  readonly #pass: () => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: {
    pass: () => Promise<unknown>;
    intervalMs: number;
    onError: (error: unknown) => void;
  }) {
    this.#pass = options.pass;
    this.#intervalMs = options.intervalMs;
    this.#onError = options.onError;
  }

  /** The first pass after `firstDelayMs` (default: the interval). */
  start(firstDelayMs = this.#intervalMs): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#pass()
        .then(
          () => undefined,
          (error: unknown) => this.#onError(error),
        )
        .finally(() => {
          this.#running = undefined;
          this.start();
        });
    }, firstDelayMs);
    this.#timer.unref();
  }

  /** No new pass starts; resolves once the one under way (if any) has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
