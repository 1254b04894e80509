import { ObjectId } from 'bson';
import { CommandError, Doc, isDoc, notSupported, toCommandError } from '../errors';
import { MISSING, canonicalKey, valuesAt, withIdFirst } from '../values';
import { Command, Ctx, collName, docArray, optDoc, optNumber, checkCollation } from './context';
import { checkHint, selectDocs, shape } from './select';

/** Per-op write errors: labelled errors (112 in a transaction) fail the whole command instead. */
export function writeError(ctx: Ctx, err: unknown, index: number, errors: Doc[]): void {
  ctx.scope.onError();
  const ce = toCommandError(err);
  if (ce.labels.length > 0) throw ce;
  errors.push(ce.toWriteError(index));
}

function withWriteErrors(reply: Doc, errors: Doc[]): Doc {
  if (errors.length > 0) reply.writeErrors = errors;
  return reply;
}

export const insert: Command = {
  scoped: true,
  fields: ['documents', 'ordered', 'bypassDocumentValidation'],
  run(ctx) {
    const docs = docArray(ctx, 'documents');
    const ordered = ctx.cmd.ordered !== false;
    const state = ctx.scope.write(ctx.db, collName(ctx));
    const errors: Doc[] = [];
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      try {
        const raw = docs[i];
        if (Array.isArray(raw._id)) throw new CommandError(2, "can't use an array for _id");
        const doc = withIdFirst(raw, raw._id === undefined ? new ObjectId() : raw._id);
        const key = canonicalKey(doc._id);
        ctx.scope.beforeWrite(state, key);
        state.insert(key, doc);
        n++;
      } catch (err) {
        writeError(ctx, err, i, errors);
        if (ordered || ctx.scope.inTransaction) break;
      }
    }
    return withWriteErrors({ n, ok: 1 }, errors);
  },
};

const REFUSED_FIND_FLAGS = [
  'tailable',
  'awaitData',
  'returnKey',
  'showRecordId',
  'min',
  'max',
  'oplogReplay',
];

export const find: Command = {
  scoped: true,
  fields: [
    'filter',
    'sort',
    'projection',
    'skip',
    'limit',
    'batchSize',
    'singleBatch',
    'hint',
    'collation',
    'let',
    'allowDiskUse',
    'noCursorTimeout',
    'allowPartialResults',
    'readOnce',
    ...REFUSED_FIND_FLAGS,
  ],
  run(ctx) {
    for (const flag of REFUSED_FIND_FLAGS) if (ctx.cmd[flag]) throw notSupported(`find.${flag}`);
    const name = collName(ctx);
    const state = ctx.scope.read(ctx.db, name);
    checkHint(state, ctx.cmd.hint);
    const variables = optDoc(ctx, 'let');
    const limit = optNumber(ctx, 'limit');
    const matched = selectDocs(state, optDoc(ctx, 'filter'), variables);
    const docs = shape(
      matched,
      {
        sort: optDoc(ctx, 'sort'),
        projection: optDoc(ctx, 'projection'),
        skip: optNumber(ctx, 'skip'),
        limit,
      },
      variables,
    );
    const single = ctx.cmd.singleBatch === true || (limit !== undefined && limit < 0);
    const cursor = ctx.cursors.first(
      `${ctx.db}.${name}`,
      docs,
      optNumber(ctx, 'batchSize'),
      single,
    );
    return { cursor, ok: 1 };
  },
};

export const getMore: Command = {
  transactional: true,
  fields: ['collection', 'batchSize', 'maxTimeMS'],
  run(ctx) {
    return ctx.cursors.more(
      ctx.cmd.getMore,
      String(ctx.cmd.collection),
      ctx.db,
      optNumber(ctx, 'batchSize'),
    );
  },
};

export const killCursors: Command = {
  transactional: true,
  fields: ['cursors'],
  run(ctx) {
    const ids = Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors : [];
    return ctx.cursors.kill(ids);
  },
};

export const deleteCmd: Command = {
  scoped: true,
  fields: ['deletes', 'ordered', 'let'],
  run(ctx) {
    const deletes = docArray(ctx, 'deletes');
    const ordered = ctx.cmd.ordered !== false;
    const name = collName(ctx);
    const errors: Doc[] = [];
    let n = 0;
    for (let i = 0; i < deletes.length; i++) {
      try {
        const op = deletes[i];
        for (const k of Object.keys(op)) {
          if (!['q', 'limit', 'collation', 'hint'].includes(k)) {
            throw new CommandError(40415, `BSON field 'delete.deletes.${k}' is an unknown field.`);
          }
        }
        checkCollation(op.collation);
        const state = ctx.scope.read(ctx.db, name);
        checkHint(state, op.hint);
        if (!isDoc(op.q)) throw new CommandError(14, "BSON field 'delete.deletes.q' is missing");
        if (!state) continue;
        let matched = selectDocs(state, op.q, optDoc(ctx, 'let'));
        if (Number(op.limit) === 1) matched = matched.slice(0, 1);
        const writable = ctx.scope.write(ctx.db, name);
        for (const doc of matched) {
          const key = canonicalKey(doc._id);
          ctx.scope.beforeWrite(writable, key);
          writable.remove(key);
          n++;
        }
      } catch (err) {
        writeError(ctx, err, i, errors);
        if (ordered || ctx.scope.inTransaction) break;
      }
    }
    return withWriteErrors({ n, ok: 1 }, errors);
  },
};

export const count: Command = {
  scoped: true,
  fields: ['query', 'limit', 'skip', 'hint', 'collation', 'fields'],
  run(ctx) {
    const state = ctx.scope.read(ctx.db, collName(ctx));
    checkHint(state, ctx.cmd.hint);
    let n = selectDocs(state, optDoc(ctx, 'query')).length;
    const skip = optNumber(ctx, 'skip') ?? 0;
    const limit = Math.abs(optNumber(ctx, 'limit') ?? 0);
    n = Math.max(0, n - skip);
    if (limit > 0) n = Math.min(n, limit);
    return { n, ok: 1 };
  },
};

export const distinct: Command = {
  scoped: true,
  fields: ['key', 'query', 'collation', 'hint'],
  run(ctx) {
    const state = ctx.scope.read(ctx.db, collName(ctx));
    checkHint(state, ctx.cmd.hint);
    const key = ctx.cmd.key;
    if (typeof key !== 'string')
      throw new CommandError(14, "BSON field 'distinct.key' is missing or not a string");
    const seen = new Map<string, unknown>();
    for (const doc of selectDocs(state, optDoc(ctx, 'query'))) {
      for (const v of valuesAt(doc, key)) {
        if (v === MISSING || v === undefined) continue;
        const vals = Array.isArray(v) ? v : [v];
        for (const one of vals) if (!seen.has(canonicalKey(one))) seen.set(canonicalKey(one), one);
      }
    }
    return { values: [...seen.values()], ok: 1 };
  },
};
