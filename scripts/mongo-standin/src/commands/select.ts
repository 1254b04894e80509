import { Query } from 'mingo/query';
import { CollState, sameKeyPattern } from '../collection';
import { compileQuery, makeOptions } from '../engine';
import { CommandError, Doc, badValue, isDoc } from '../errors';
import { canonicalKey } from '../values';

function isPlainScalar(v: unknown): boolean {
  return v !== null && v !== undefined && !isDoc(v) && !Array.isArray(v) && !(v instanceof RegExp);
}

/** Uses `_id` or a single-field unique index for an equality filter instead of a scan. */
function candidates(state: CollState, filter: Doc): Doc[] {
  if ('_id' in filter && isPlainScalar(filter._id)) {
    const doc = state.docs.get(canonicalKey(filter._id));
    return doc ? [doc] : [];
  }
  for (const spec of state.indexes) {
    const fields = Object.keys(spec.key);
    if (!spec.unique || fields.length !== 1 || spec.sparse || spec.partialFilterExpression)
      continue;
    const v = filter[fields[0]];
    if (!isPlainScalar(v)) continue;
    const doc = state.findByUnique(spec.name, canonicalKey(v));
    return doc ? [doc] : [];
  }
  return state.all();
}

export function selectDocs(
  state: CollState | undefined,
  filter: Doc | undefined,
  variables?: Doc,
): Doc[] {
  if (!state) return [];
  if (!filter || Object.keys(filter).length === 0) return state.all();
  const q = compileQuery(filter, variables);
  return candidates(state, filter).filter((d) => q.test(d));
}

export function checkHint(state: CollState | undefined, hint: unknown): void {
  if (hint === undefined || hint === null) return;
  if (isDoc(hint) && Object.keys(hint).length === 0) return;
  if (isDoc(hint) && '$natural' in hint) return;
  const found = state?.indexes.some((spec) =>
    typeof hint === 'string' ? spec.name === hint : isDoc(hint) && sameKeyPattern(spec.key, hint),
  );
  if (!found) throw badValue('hint provided does not correspond to an existing index');
}

export interface FindShape {
  sort?: Doc;
  projection?: Doc;
  skip?: number;
  limit?: number;
}

export function shape(docs: Doc[], opts: FindShape, variables?: Doc): Doc[] {
  let sort = opts.sort && Object.keys(opts.sort).length > 0 ? opts.sort : undefined;
  let input = docs;
  if (sort && '$natural' in sort) {
    if (Number(sort.$natural) < 0) input = [...docs].reverse();
    sort = undefined;
  }
  if (sort) {
    for (const [k, dir] of Object.entries(sort)) {
      if (dir !== 1 && dir !== -1) {
        if (isDoc(dir) && dir.$meta !== undefined)
          throw badValue(`$meta sort on '${k}' is not supported by the mongo stand-in`);
        throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
      }
    }
  }
  if (opts.skip !== undefined && opts.skip < 0) throw badValue('skip value must be non-negative');
  const projection =
    opts.projection && Object.keys(opts.projection).length > 0 ? opts.projection : undefined;
  if (!sort && !projection) {
    const start = opts.skip ?? 0;
    return input.slice(start, opts.limit ? start + Math.abs(opts.limit) : undefined);
  }
  let cursor = new Query({}, makeOptions(undefined, variables)).find(input, projection);
  if (sort) cursor = cursor.sort(sort);
  if (opts.skip) cursor = cursor.skip(opts.skip);
  if (opts.limit) cursor = cursor.limit(Math.abs(opts.limit));
  return cursor.all() as Doc[];
}

export function requireState(state: CollState | undefined, ns: string): CollState {
  if (!state) throw new CommandError(26, `ns does not exist: ${ns}`);
  return state;
}
