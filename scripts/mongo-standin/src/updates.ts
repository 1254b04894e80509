import { ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import type { Modifier } from 'mingo/updater';
import { makeOptions, runPipeline } from './engine';
import { CommandError, Doc, isDoc, notSupported, toCommandError } from './errors';
import { Dec, MISSING, canonicalKey, cloneDoc, getPath, setPath, withIdFirst } from './values';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$bit',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$setOnInsert',
]);

export interface UpdateSpec {
  u: unknown;
  arrayFilters?: Doc[];
  filter: Doc;
  constants?: Doc;
}

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

export function updateKind(u: unknown): UpdateKind {
  if (Array.isArray(u)) return 'pipeline';
  if (!isDoc(u)) throw new CommandError(9, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return 'replacement';
  if (ops.length !== keys.length) {
    throw new CommandError(
      9,
      `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  return 'operators';
}

/** Applies an update to a copy of `doc`; returns the new doc and whether anything changed. */
export function applyUpdate(
  doc: Doc,
  spec: UpdateSpec,
  isInsert: boolean,
): { doc: Doc; changed: boolean } {
  const kind = updateKind(spec.u);
  if (kind === 'replacement') {
    const repl = spec.u as Doc;
    if (
      repl._id !== undefined &&
      doc._id !== undefined &&
      canonicalKey(repl._id) !== canonicalKey(doc._id)
    ) {
      throw immutableId();
    }
    const next = withIdFirst(cloneDoc(repl), doc._id ?? repl._id);
    return { doc: next, changed: canonicalKey(next) !== canonicalKey(doc) };
  }
  if (kind === 'pipeline') {
    const [out] = runPipeline([cloneDoc(doc)], spec.u as unknown[], undefined, spec.constants);
    if (!out) throw new CommandError(2, 'pipeline update produced no document');
    if (doc._id !== undefined && canonicalKey(out._id) !== canonicalKey(doc._id))
      throw immutableId();
    const next = withIdFirst(out, doc._id ?? out._id);
    return { doc: next, changed: canonicalKey(next) !== canonicalKey(doc) };
  }
  const mod = prepareOperators(doc, spec.u as Doc, isInsert);
  const next = cloneDoc(doc);
  if (Object.keys(mod).length === 0) return { doc: next, changed: false };
  let changedPaths: string[];
  try {
    changedPaths = mingoUpdate(next, mod as Modifier<Doc>, spec.arrayFilters, spec.filter, {
      cloneMode: 'none',
      queryOptions: makeOptions(),
    });
  } catch (err) {
    throw toCommandError(err);
  }
  if (doc._id !== undefined && canonicalKey(next._id) !== canonicalKey(doc._id))
    throw immutableId();
  return { doc: next, changed: changedPaths.length > 0 };
}

function immutableId(): CommandError {
  return new CommandError(
    66,
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

function prepareOperators(doc: Doc, u: Doc, isInsert: boolean): Doc {
  const mod: Doc = {};
  for (const [op, arg] of Object.entries(u)) {
    if (!UPDATE_OPERATORS.has(op))
      throw new CommandError(
        9,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!isDoc(arg))
      throw new CommandError(
        9,
        `Modifiers operate on fields but we found type ${typeof arg} instead.`,
      );
    if (op === '$setOnInsert') continue;
    mod[op] = { ...arg };
  }
  const setOnInsert = u.$setOnInsert;
  if (isInsert && isDoc(setOnInsert))
    mod.$set = { ...(isDoc(mod.$set) ? mod.$set : {}), ...setOnInsert };
  checkConflicts(mod);
  for (const op of ['$set', '$setOnInsert']) {
    const set = mod[op];
    if (isDoc(set) && '_id' in set) {
      if (doc._id !== undefined && canonicalKey(set._id) !== canonicalKey(doc._id))
        throw immutableId();
      if (doc._id !== undefined) delete set._id;
      if (Object.keys(set).length === 0) delete mod[op];
    }
  }
  for (const op of ['$inc', '$mul']) {
    const arg = mod[op];
    if (!isDoc(arg)) continue;
    for (const [path, by] of Object.entries(arg)) {
      if (by instanceof Dec) throw notSupported(`${op} with a Decimal128 operand`);
      if (typeof by !== 'number') {
        throw new CommandError(
          14,
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${String(by)}}`,
        );
      }
      const current = path.includes('$') ? undefined : getPath(doc, path);
      if (current instanceof Dec) throw notSupported(`${op} on a Decimal128 field`);
      if (current !== MISSING && current !== undefined && typeof current !== 'number') {
        throw new CommandError(
          14,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${path}' of non-numeric type ${typeof current}`,
        );
      }
    }
  }
  return mod;
}

/** mongod refuses one path (or a path and its prefix) named by two operators. */
function checkConflicts(mod: Doc): void {
  const paths: string[] = [];
  for (const [op, arg] of Object.entries(mod)) {
    if (!isDoc(arg)) continue;
    for (const p of Object.keys(arg)) {
      paths.push(p);
      if (op === '$rename' && typeof arg[p] === 'string') paths.push(arg[p] as string);
    }
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1] || sorted[i].startsWith(`${sorted[i - 1]}.`)) {
      throw new CommandError(
        40,
        `Updating the path '${sorted[i]}' would create a conflict at '${sorted[i - 1]}'`,
      );
    }
  }
}

/** The document an upsert starts from: the filter's equality fields. */
export function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  const walk = (f: Doc): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.filter(isDoc).forEach(walk);
      if (k.startsWith('$')) continue;
      if (isDoc(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, cloneDoc(v.$eq));
        continue;
      }
      setPath(seed, k, cloneDoc(v));
    }
  };
  walk(filter);
  return seed;
}

export function buildUpsert(spec: UpdateSpec): Doc {
  const seed = upsertSeed(spec.filter);
  const kind = updateKind(spec.u);
  let doc: Doc;
  if (kind === 'replacement') {
    const repl = spec.u as Doc;
    doc = withIdFirst(cloneDoc(repl), repl._id ?? seed._id);
  } else {
    doc = applyUpdate(seed, spec, true).doc;
  }
  return withIdFirst(doc, doc._id === undefined ? new ObjectId() : doc._id);
}
