import { CollState } from '../collection';
import { CommandError, Doc, isDoc, toCommandError } from '../errors';
import { UpdateSpec, applyUpdate, buildUpsert, updateKind } from '../updates';
import { canonicalKey } from '../values';
import { Command, Ctx, checkCollation, collName, docArray, optDoc } from './context';
import { writeError } from './crud';
import { checkHint, selectDocs, shape } from './select';

const UPDATE_OP_FIELDS = [
  'q',
  'u',
  'upsert',
  'multi',
  'arrayFilters',
  'collation',
  'hint',
  'c',
  'sort',
];

interface UpdateOutcome {
  n: number;
  nModified: number;
  upsertedId?: unknown;
}

function writeDoc(ctx: Ctx, state: CollState, doc: Doc, isNew: boolean): void {
  const key = canonicalKey(doc._id);
  ctx.scope.beforeWrite(state, key);
  if (isNew) state.insert(key, doc);
  else state.replace(key, doc);
}

function runOne(ctx: Ctx, name: string, op: Doc): UpdateOutcome {
  for (const k of Object.keys(op)) {
    if (!UPDATE_OP_FIELDS.includes(k))
      throw new CommandError(40415, `BSON field 'update.updates.${k}' is an unknown field.`);
  }
  checkCollation(op.collation);
  if (!isDoc(op.q)) throw new CommandError(14, "BSON field 'update.updates.q' is missing");
  const spec: UpdateSpec = {
    u: op.u,
    filter: op.q,
    arrayFilters: Array.isArray(op.arrayFilters) ? op.arrayFilters.filter(isDoc) : undefined,
    constants: isDoc(op.c) ? op.c : undefined,
  };
  const kind = updateKind(op.u);
  if (op.multi === true && kind === 'replacement') {
    throw new CommandError(9, 'multi update is not supported for replacement-style update');
  }
  const readState = ctx.scope.read(ctx.db, name);
  checkHint(readState, op.hint);
  let matched = selectDocs(readState, op.q, optDoc(ctx, 'let'));
  if (op.multi !== true)
    matched = shape(matched, { sort: isDoc(op.sort) ? op.sort : undefined, limit: 1 });
  if (matched.length === 0) {
    if (op.upsert !== true) return { n: 0, nModified: 0 };
    const doc = buildUpsert(spec);
    writeDoc(ctx, ctx.scope.write(ctx.db, name), doc, true);
    return { n: 1, nModified: 0, upsertedId: doc._id };
  }
  const state = ctx.scope.write(ctx.db, name);
  let nModified = 0;
  for (const doc of matched) {
    const result = applyUpdate(doc, spec, false);
    if (!result.changed) continue;
    writeDoc(ctx, state, result.doc, false);
    nModified++;
  }
  return { n: matched.length, nModified };
}

export const update: Command = {
  scoped: true,
  fields: ['updates', 'ordered', 'bypassDocumentValidation', 'let'],
  run(ctx) {
    const ops = docArray(ctx, 'updates');
    const ordered = ctx.cmd.ordered !== false;
    const name = collName(ctx);
    const errors: Doc[] = [];
    const upserted: Doc[] = [];
    let n = 0;
    let nModified = 0;
    for (let i = 0; i < ops.length; i++) {
      try {
        const out = runOne(ctx, name, ops[i]);
        n += out.n;
        nModified += out.nModified;
        if (out.upsertedId !== undefined) upserted.push({ index: i, _id: out.upsertedId });
      } catch (err) {
        writeError(ctx, err, i, errors);
        if (ordered || ctx.scope.inTransaction) break;
      }
    }
    const reply: Doc = { n, nModified };
    if (upserted.length > 0) reply.upserted = upserted;
    if (errors.length > 0) reply.writeErrors = errors;
    reply.ok = 1;
    return reply;
  },
};

export const findAndModify: Command = {
  scoped: true,
  fields: [
    'query',
    'sort',
    'remove',
    'update',
    'new',
    'fields',
    'upsert',
    'arrayFilters',
    'bypassDocumentValidation',
    'collation',
    'hint',
    'let',
  ],
  run(ctx) {
    try {
      return runFindAndModify(ctx);
    } catch (err) {
      ctx.scope.onError();
      throw toCommandError(err);
    }
  },
};

function runFindAndModify(ctx: Ctx): Doc {
  const name = collName(ctx);
  const cmd = ctx.cmd;
  const filter = optDoc(ctx, 'query') ?? {};
  const fields = optDoc(ctx, 'fields');
  if (
    cmd.remove === true &&
    (cmd.update !== undefined || cmd.upsert === true || cmd.new === true)
  ) {
    throw new CommandError(9, 'Cannot specify both an update and remove=true');
  }
  if (cmd.remove !== true && cmd.update === undefined)
    throw new CommandError(9, 'Either an update or remove=true must be specified');
  const readState = ctx.scope.read(ctx.db, name);
  checkHint(readState, cmd.hint);
  const [target] = shape(selectDocs(readState, filter, optDoc(ctx, 'let')), {
    sort: optDoc(ctx, 'sort'),
    limit: 1,
  });
  const project = (doc: Doc | undefined): Doc | null =>
    doc ? (fields ? shape([doc], { projection: fields })[0] : doc) : null;

  if (cmd.remove === true) {
    if (!target) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    const state = ctx.scope.write(ctx.db, name);
    const key = canonicalKey(target._id);
    ctx.scope.beforeWrite(state, key);
    state.remove(key);
    return { lastErrorObject: { n: 1 }, value: project(target), ok: 1 };
  }
  const spec: UpdateSpec = {
    u: cmd.update,
    filter,
    arrayFilters: Array.isArray(cmd.arrayFilters) ? cmd.arrayFilters.filter(isDoc) : undefined,
  };
  const state = ctx.scope.write(ctx.db, name);
  if (!target) {
    if (cmd.upsert !== true)
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = buildUpsert(spec);
    writeDoc(ctx, state, doc, true);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: cmd.new === true ? project(doc) : null,
      ok: 1,
    };
  }
  const result = applyUpdate(target, spec, false);
  if (result.changed) writeDoc(ctx, state, result.doc, false);
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: project(cmd.new === true ? result.doc : target),
    ok: 1,
  };
}
