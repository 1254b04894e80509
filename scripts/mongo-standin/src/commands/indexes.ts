import { IndexSpec, sameKeyPattern } from '../collection';
import { CommandError, Doc, badValue, isDoc } from '../errors';
import { canonicalKey } from '../values';
import { Command, checkCollation, collName, optDoc } from './context';
import { requireState } from './select';

const INDEX_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'ns',
  'collation',
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
  '2dsphereIndexVersion',
]);
const COMPARED_OPTIONS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'];

function defaultName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join('_');
}

function normalise(raw: Doc): IndexSpec {
  for (const k of Object.keys(raw)) {
    if (!INDEX_OPTIONS.has(k))
      throw new CommandError(197, `The field '${k}' is not valid for an index specification`);
  }
  checkCollation(raw.collation);
  const key = raw.key;
  if (!isDoc(key) || Object.keys(key).length === 0)
    throw new CommandError(67, 'Index keys cannot be empty.');
  for (const [field, dir] of Object.entries(key)) {
    const ok =
      dir === 1 || dir === -1 || ['text', '2dsphere', '2d', 'hashed'].includes(String(dir));
    if (!ok)
      throw new CommandError(
        67,
        `Values in the index key pattern can't be ${String(dir)} (field ${field})`,
      );
  }
  const spec: IndexSpec = {
    v: 2,
    key,
    name: typeof raw.name === 'string' ? raw.name : defaultName(key),
  };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isDoc(raw.partialFilterExpression))
      throw badValue('partialFilterExpression must be an object');
    if (spec.sparse)
      throw new CommandError(67, 'cannot mix "partialFilterExpression" and "sparse" options');
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) {
    const secs = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(secs) || secs < 0)
      throw badValue("TTL index 'expireAfterSeconds' option must be a non-negative number");
    if (Object.keys(key).length !== 1)
      throw new CommandError(
        67,
        'TTL indexes are single-field indexes, compound indexes do not support TTL',
      );
    spec.expireAfterSeconds = secs;
  }
  for (const k of [
    'weights',
    'default_language',
    'language_override',
    'textIndexVersion',
    '2dsphereIndexVersion',
  ]) {
    if (raw[k] !== undefined) spec[k] = raw[k];
  }
  return spec;
}

const sameOptions = (a: IndexSpec, b: IndexSpec): boolean =>
  COMPARED_OPTIONS.every((o) => canonicalKey(a[o]) === canonicalKey(b[o]));

export const createIndexes: Command = {
  fields: ['indexes', 'commitQuorum'],
  run(ctx) {
    const name = collName(ctx);
    const raw = ctx.cmd.indexes;
    if (!Array.isArray(raw) || raw.length === 0 || !raw.every(isDoc))
      throw badValue('Must specify at least one index to create');
    const specs = raw.map(normalise);
    const existed = ctx.store.get(ctx.db, name);
    const state = existed ?? ctx.store.create(ctx.db, name);
    const before = state.indexes.length;
    for (const spec of specs) {
      const sameName = state.indexes.find((i) => i.name === spec.name);
      if (sameName) {
        if (!sameKeyPattern(sameName.key, spec.key)) {
          throw new CommandError(
            86,
            `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
          );
        }
        if (sameName.name !== '_id_' && !sameOptions(sameName, spec)) {
          throw new CommandError(
            85,
            `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
          );
        }
        continue;
      }
      const sameKey = state.indexes.find(
        (i) =>
          sameKeyPattern(i.key, spec.key) &&
          canonicalKey(i.partialFilterExpression) === canonicalKey(spec.partialFilterExpression),
      );
      if (sameKey) {
        throw new CommandError(85, `Index already exists with a different name: ${sameKey.name}`);
      }
      state.addIndex(spec);
    }
    const reply: Doc = {
      numIndexesBefore: before,
      numIndexesAfter: state.indexes.length,
      createdCollectionAutomatically: !existed,
    };
    if (before === state.indexes.length) reply.note = 'all indexes already exist';
    reply.ok = 1;
    return reply;
  },
};

export const listIndexes: Command = {
  fields: ['cursor'],
  scoped: true,
  run(ctx) {
    const name = collName(ctx);
    const state = requireState(ctx.scope.read(ctx.db, name), `${ctx.db}.${name}`);
    const cursorOpt = optDoc(ctx, 'cursor');
    const batch = cursorOpt?.batchSize === undefined ? undefined : Number(cursorOpt.batchSize);
    return {
      cursor: ctx.cursors.first(
        `${ctx.db}.${name}`,
        state.indexes.map((i) => ({ ...i })),
        batch,
      ),
      ok: 1,
    };
  },
};

export const dropIndexes: Command = {
  fields: ['index'],
  run(ctx) {
    const name = collName(ctx);
    const state = requireState(ctx.store.get(ctx.db, name), `${ctx.db}.${name}`);
    const target = ctx.cmd.index;
    const was = state.indexes.length;
    const names: string[] = [];
    if (target === '*')
      names.push(...state.indexes.filter((i) => i.name !== '_id_').map((i) => i.name));
    else if (typeof target === 'string') names.push(target);
    else if (Array.isArray(target)) names.push(...target.map(String));
    else if (isDoc(target)) {
      const found = state.indexes.find((i) => sameKeyPattern(i.key, target));
      if (!found)
        throw new CommandError(27, `can't find index with key: ${JSON.stringify(target)}`);
      names.push(found.name);
    } else throw badValue("BSON field 'dropIndexes.index' is missing");
    for (const n of names) {
      if (n === '_id_') throw new CommandError(72, 'cannot drop _id index');
      if (!state.indexes.some((i) => i.name === n))
        throw new CommandError(27, `index not found with name [${n}]`);
    }
    names.forEach((n) => state.dropIndex(n));
    return { nIndexesWas: was, ok: 1 };
  },
};

const REFUSED_COLLMOD = [
  'validator',
  'validationLevel',
  'validationAction',
  'expireAfterSeconds',
  'viewOn',
  'pipeline',
  'changeStreamPreAndPostImages',
  'timeseries',
  'clusteredIndex',
  'cappedSize',
  'cappedMax',
  'dryRun',
];

export const collMod: Command = {
  fields: ['index', ...REFUSED_COLLMOD],
  run(ctx) {
    for (const k of REFUSED_COLLMOD)
      if (ctx.cmd[k] !== undefined)
        throw new CommandError(115, `collMod.${k} is not supported by the mongo stand-in`);
    const name = collName(ctx);
    const state = requireState(ctx.store.get(ctx.db, name), `${ctx.db}.${name}`);
    const index = optDoc(ctx, 'index');
    if (!index) return { ok: 1 };
    for (const k of Object.keys(index)) {
      if (!['keyPattern', 'name', 'expireAfterSeconds'].includes(k))
        throw new CommandError(115, `collMod index.${k} is not supported by the mongo stand-in`);
    }
    const spec = state.indexes.find((i) =>
      typeof index.name === 'string'
        ? i.name === index.name
        : isDoc(index.keyPattern) && sameKeyPattern(i.key, index.keyPattern),
    );
    if (!spec)
      throw new CommandError(
        27,
        `cannot find index ${JSON.stringify(index.name ?? index.keyPattern)} for ns ${state.ns}`,
      );
    const reply: Doc = {};
    if (index.expireAfterSeconds !== undefined) {
      if (spec.expireAfterSeconds === undefined)
        throw new CommandError(72, 'no expireAfterSeconds field to update');
      reply.expireAfterSeconds_old = spec.expireAfterSeconds;
      spec.expireAfterSeconds = Number(index.expireAfterSeconds);
      reply.expireAfterSeconds_new = spec.expireAfterSeconds;
    }
    reply.ok = 1;
    return reply;
  },
};
