/**
 * Writes text to a stream with back-pressure: `write` resolves at once while the stream takes
 * data, and waits for 'drain' when its buffer is full, so a slow consumer (a pipe to `less`, a
 * slow disk) slows the run instead of growing memory.
 */
export class StreamWriter {
  private failure: Error | undefined;

  constructor(private readonly out: NodeJS.WritableStream) {
    // Without a listener a write error (EPIPE when the reader went away) would be thrown globally.
    out.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /** Returns a promise only when the caller should wait. */
  write(text: string): void | Promise<void> {
    if (this.failure || text.length === 0) return;
    if (this.out.write(text)) return;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.once('drain', done);
      this.out.once('error', done);
      this.out.once('close', done);
    });
  }

  /** Waits until everything written so far has been handed to the stream. */
  async flush(): Promise<void> {
    await this.write('');
    const out = this.out as NodeJS.WritableStream & { writableNeedDrain?: boolean };
    if (out.writableNeedDrain && !this.failure) {
      await new Promise<void>((resolve) => {
        out.once('drain', resolve);
        out.once('error', () => resolve());
        out.once('close', () => resolve());
      });
    }
  }
}
