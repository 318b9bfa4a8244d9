// Keys of raws that arrived in the raw bucket, as the bucket notifications announce them, shared by
// every visit the process handles. A short history is kept so a visit also sees raws that arrived
// just before it started waiting (upstream had to re-list the bucket for that).

export interface ArrivalCursor {
  /** The next key after those already returned, waiting up to timeoutMs; undefined on timeout. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<string | undefined>;
  close(): void;
}

export class RawArrivals {
  private readonly history: Array<{ readonly key: string; readonly at: number }> = [];
  private readonly wakers = new Set<() => void>();
  private sequenceBase = 0;

  /**
   * @param historySize keys remembered for cursors opened later
   * @param historySeconds only keys younger than this are replayed to a new cursor
   */
  constructor(
    private readonly historySize = 10_000,
    private readonly historySeconds = 600,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  add(key: string): void {
    this.history.push({ key, at: this.now() });
    if (this.history.length > this.historySize) {
      this.history.shift();
      this.sequenceBase += 1;
    }
    for (const wake of [...this.wakers]) wake();
  }

  /** A cursor starting with the remembered keys of the last historySeconds, then new ones. */
  cursor(): ArrivalCursor {
    const cutoff = this.now() - this.historySeconds;
    const firstRecent = this.history.findIndex((entry) => entry.at >= cutoff);
    let position = this.sequenceBase + (firstRecent < 0 ? this.history.length : firstRecent);
    let waker: (() => void) | undefined;
    const take = (): string | undefined => {
      const index = Math.max(position, this.sequenceBase) - this.sequenceBase;
      const entry = this.history[index];
      if (!entry) return undefined;
      position = this.sequenceBase + index + 1;
      return entry.key;
    };
    return {
      next: (timeoutMs, signal) => {
        const ready = take();
        if (ready !== undefined || timeoutMs <= 0) return Promise.resolve(ready);
        return new Promise<string | undefined>((resolve, reject) => {
          const finish = (value: string | undefined, error?: unknown) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            if (waker) this.wakers.delete(waker);
            waker = undefined;
            if (error !== undefined) reject(error);
            else resolve(value);
          };
          const onAbort = () => finish(undefined, signal?.reason);
          const timer = setTimeout(() => finish(undefined), timeoutMs);
          waker = () => {
            const key = take();
            if (key !== undefined) finish(key);
          };
          this.wakers.add(waker);
          if (signal?.aborted) onAbort();
          else signal?.addEventListener('abort', onAbort, { once: true });
        });
      },
      close: () => {
        if (waker) this.wakers.delete(waker);
      },
    };
  }
}
