/** A manual clock for code that takes injectable timers: time moves only when a test calls advance(). */
export class FakeClock {
  now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  readonly timers = {
    setTimeout: (fn: () => void, ms: number): unknown => {
      const id = this.nextId++;
      this.pending.set(id, { at: this.now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (id: unknown): void => {
      this.pending.delete(id as number);
    },
  };

  /** Timers waiting to fire. */
  get size(): number {
    return this.pending.size;
  }

  /** Moves time forward, firing due timers in order and letting promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await flush();
      const due = [...this.pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
    await flush();
  }
}

/** Lets queued promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
