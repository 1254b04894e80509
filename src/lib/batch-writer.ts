import type { Logger } from './logger';

export interface BatchWriterOptions<T> {
  /** Writes one batch; throwing keeps the batch buffered for the next attempt. */
  write: (items: T[]) => Promise<void>;
  /** Items per write; reaching it starts a write at once. */
  batchSize: number;
  /** Longest time an item waits in the buffer. */
  flushIntervalMs: number;
  /** Most items held (buffered + being written); `add` refuses beyond it. */
  maxBuffered: number;
  logger: Logger;
  name: string;
}

export interface BatchWriterStats {
  buffered: number;
  written: number;
  failedWrites: number;
}

/**
 * A bounded in-memory buffer written in batches: on size, on a timer, and on `close()`, which
 * writes everything still held before it resolves. One write runs at a time. A failed write keeps
 * its items (they are retried on the next flush), so nothing accepted is dropped while the
 * process stops gracefully; when the buffer is full, `add` says so instead of growing.
 */
export class BatchWriter<T> {
  private buffer: T[] = [];
  private inFlight = 0;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private written = 0;
  private failedWrites = 0;

  constructor(private readonly options: BatchWriterOptions<T>) {}

  /** Buffers one item; false when the buffer is full or the writer is closed. */
  add(item: T): boolean {
    if (this.closed || this.held >= this.options.maxBuffered) return false;
    this.buffer.push(item);
    if (this.buffer.length >= this.options.batchSize) void this.flush();
    else this.timer ??= this.startTimer();
    return true;
  }

  get held(): number {
    return this.buffer.length + this.inFlight;
  }

  stats(): BatchWriterStats {
    return { buffered: this.held, written: this.written, failedWrites: this.failedWrites };
  }

  /** Writes what is buffered now (batch by batch); resolves when those writes are done. */
  flush(): Promise<void> {
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
      if (this.buffer.length > 0 && !this.closed) this.timer ??= this.startTimer();
    });
    return this.writing;
  }

  /**
   * Stops accepting items and writes everything held. A write that keeps failing is retried
   * until `deadlineMs` passes; what is still held then is logged as lost.
   */
  async close(deadlineMs = 10_000): Promise<void> {
    this.closed = true;
    this.clearTimer();
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      await this.flush();
      if (this.buffer.length === 0) return;
      if (Date.now() > deadline) {
        this.options.logger.error(
          { writer: this.options.name, lost: this.buffer.length },
          'batch writer closed with items it could not write',
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async drain(): Promise<void> {
    this.clearTimer();
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      this.inFlight = batch.length;
      try {
        await this.options.write(batch);
        this.written += batch.length;
      } catch (error) {
        this.failedWrites += 1;
        // Back to the front, in order; the next flush (timer or close) retries them.
        this.buffer.unshift(...batch);
        this.options.logger.warn(
          { err: error, writer: this.options.name, held: this.buffer.length },
          'batch write failed; keeping the batch for the next attempt',
        );
        return;
      } finally {
        this.inFlight = 0;
      }
    }
  }

  private startTimer(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.flushIntervalMs);
    // A pending flush must not keep a finished process alive; close() writes the rest.
    timer.unref();
    return timer;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
