import { Long } from 'bson';
import { CommandError, Doc } from './errors';

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
}

const DEFAULT_FIRST_BATCH = 101;

export class Cursors {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = 1000 + Math.floor(Math.random() * 1_000_000);

  /** Builds a `cursor` reply field, keeping the rest open unless it fits the first batch. */
  first(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    const size = batchSize === undefined ? DEFAULT_FIRST_BATCH : batchSize;
    const firstBatch =
      size === 0 && batchSize !== undefined ? [] : docs.slice(0, size || docs.length);
    let id = Long.ZERO;
    if (!singleBatch && firstBatch.length < docs.length) {
      id = Long.fromNumber(this.nextId++);
      this.open.set(id.toString(), { ns, docs, pos: firstBatch.length });
    }
    return { firstBatch, id, ns };
  }

  more(id: unknown, collection: string, db: string, batchSize: number | undefined): Doc {
    const key = String(id);
    const cursor = this.open.get(key);
    if (!cursor) throw new CommandError(43, `cursor id ${key} not found`);
    if (cursor.ns !== `${db}.${collection}`) {
      throw new CommandError(
        13,
        `Requested getMore on namespace '${db}.${collection}', but cursor belongs to '${cursor.ns}'`,
      );
    }
    const end = batchSize && batchSize > 0 ? cursor.pos + batchSize : cursor.docs.length;
    const nextBatch = cursor.docs.slice(cursor.pos, end);
    cursor.pos += nextBatch.length;
    let outId = Long.fromString(key);
    if (cursor.pos >= cursor.docs.length) {
      this.open.delete(key);
      outId = Long.ZERO;
    }
    return { cursor: { nextBatch, id: outId, ns: cursor.ns }, ok: 1 };
  }

  kill(ids: unknown[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const key = String(id);
      const long = Long.fromString(key);
      if (this.open.delete(key)) killed.push(long);
      else notFound.push(long);
    }
    return {
      cursorsKilled: killed,
      cursorsNotFound: notFound,
      cursorsAlive: [],
      cursorsUnknown: [],
      ok: 1,
    };
  }
}
