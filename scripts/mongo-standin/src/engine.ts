import { Binary, Long, ObjectId, Timestamp } from 'bson';
import { Context, ProcessingMode } from 'mingo';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import { Aggregator } from 'mingo/aggregator';
import { Query } from 'mingo/query';
import type { Any, AnyObject, Options } from 'mingo/types';
import { Doc, badValue, isDoc } from './errors';
import { truncateDate } from './dates';
import { Dec, cloneDoc } from './values';

type OpTable<F> = Record<`$${string}`, F>;
type ExprOp = (obj: AnyObject, expr: Any, options: Options) => Any;
type QueryOp = (selector: string, value: Any, options: Options) => (obj: AnyObject) => boolean;

/** mingo/core is not exported; `$ifNull: [expr, null]` evaluates an expression just the same. */
const evalExpr = (obj: AnyObject, expr: Any, options: Options): Any =>
  expressionOps.$ifNull(obj, [expr, null], options);

function ops<F>(mod: object): OpTable<F> {
  const out: Record<string, F> = {};
  for (const [k, v] of Object.entries(mod)) if (k.startsWith('$')) out[k] = v as F;
  return out as OpTable<F>;
}

/** MongoDB's $type names for a stored value (numbers lose int/double identity on ingest). */
export function bsonTypeName(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Long || typeof v === 'bigint') return 'long';
  if (v instanceof Dec) return 'decimal';
  if (v instanceof ObjectId) return 'objectId';
  if (v instanceof Date) return 'date';
  if (v instanceof Binary) return 'binData';
  if (v instanceof Timestamp) return 'timestamp';
  if (v instanceof RegExp) return 'regex';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

const TYPE_ALIASES: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
};

function typeMatches(v: unknown, wanted: unknown): boolean {
  const name = typeof wanted === 'number' ? TYPE_ALIASES[wanted] : wanted;
  const actual = bsonTypeName(v);
  if (name === 'number') return ['int', 'double', 'long', 'decimal'].includes(actual);
  return actual === name;
}

function valuesForQuery(obj: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [obj];
  if (Array.isArray(obj)) {
    if (/^\d+$/.test(path[0])) return valuesForQuery(obj[Number(path[0])], path.slice(1));
    return obj.flatMap((el) => (isDoc(el) ? valuesForQuery(el, path) : []));
  }
  if (isDoc(obj) && path[0] in obj) return valuesForQuery(obj[path[0]], path.slice(1));
  return [];
}

const $typeQuery: QueryOp = (selector, value) => {
  const wanted = Array.isArray(value) ? value : [value];
  return (obj) =>
    valuesForQuery(obj, selector.split('.')).some(
      (v) =>
        wanted.some((w) => typeMatches(v, w)) ||
        (Array.isArray(v) && v.some((el) => wanted.some((w) => typeMatches(el, w)))),
    );
};

const refuseQuery =
  (name: string): QueryOp =>
  () => {
    throw badValue(`${name} is not supported by the mongo stand-in`);
  };

const $toStringExpr: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, expr, options);
  if (v === null || v === undefined) return null;
  if (v instanceof ObjectId) return v.toHexString();
  if (v instanceof Dec) return v.value.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') throw badValue('$toString cannot convert from object to string');
  return String(v);
};

const $toObjectIdExpr: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, expr, options);
  if (v === null || v === undefined) return null;
  if (v instanceof ObjectId) return v;
  if (typeof v === 'string' && /^[0-9a-fA-F]{24}$/.test(v)) return new ObjectId(v);
  throw new Error(`Failed to parse objectId '${String(v)}' in $convert with no onError value`);
};

const $typeExpr: ExprOp = (obj, expr, options) => bsonTypeName(evalExpr(obj, expr, options));

const $dateTruncExpr: ExprOp = (obj, expr, options) => {
  const args = evalExpr(obj, expr, options);
  if (!isDoc(args)) throw badValue('$dateTrunc only supports an object as its argument');
  const { date, unit, binSize, timezone, startOfWeek } = args;
  if (date === null || date === undefined || unit === null || unit === undefined) return null;
  if (!(date instanceof Date)) throw badValue("$dateTrunc requires 'date' to be a date");
  return truncateDate(
    date,
    String(unit),
    Number(binSize ?? 1),
    timezone as string | undefined,
    startOfWeek as string | undefined,
  );
};

export const CONTEXT = Context.init({
  accumulator: ops(accumulatorOps),
  expression: {
    ...ops<ExprOp>(expressionOps),
    $dateTrunc: $dateTruncExpr,
    $toString: $toStringExpr,
    $toObjectId: $toObjectIdExpr,
    $type: $typeExpr,
  },
  pipeline: ops(pipelineOps),
  projection: ops(projectionOps),
  query: {
    ...ops<QueryOp>(queryOps),
    $type: $typeQuery,
    $near: refuseQuery('$near'),
    $nearSphere: refuseQuery('$nearSphere'),
    $geoWithin: refuseQuery('$geoWithin'),
    $geoIntersects: refuseQuery('$geoIntersects'),
  },
  window: ops(windowOps),
});

export type Resolver = (collection: string) => Doc[];

export function makeOptions(resolver?: Resolver, variables?: Doc): Partial<Options> {
  return {
    context: CONTEXT,
    processingMode: ProcessingMode.CLONE_INPUT,
    useStrictMode: true,
    scriptEnabled: false,
    ...(resolver ? { collectionResolver: resolver } : {}),
    ...(variables ? { variables } : {}),
  };
}

export function compileQuery(filter: Doc, variables?: Doc): Query {
  checkFilter(filter);
  return new Query(filter, makeOptions(undefined, variables));
}

export function matches(filter: Doc, doc: Doc): boolean {
  return compileQuery(filter).test(doc);
}

/** Rejects query operators that would silently misbehave under mingo. */
export function checkFilter(filter: unknown): void {
  if (Array.isArray(filter)) return filter.forEach(checkFilter);
  if (!isDoc(filter)) return;
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$text')
      throw badValue('$text is not supported by the mongo stand-in (no text indexes)');
    if (k === '$where') throw badValue('$where is not supported by the mongo stand-in');
    if (k === '$expr') continue;
    checkFilter(v);
  }
}

/** mingo's `$count` yields `{n:0}` on empty input; mongod's is a $group, which yields nothing. */
export function rewritePipeline(pipeline: unknown[]): Doc[] {
  return pipeline.flatMap((stage): Doc[] => {
    if (!isDoc(stage)) throw badValue('Each element of the pipeline must be an object');
    const [name] = Object.keys(stage);
    const arg = stage[name];
    if (name === '$changeStream')
      throw badValue('$changeStream is not supported by the mongo stand-in');
    if (name === '$text' || name === '$geoNear' || name === '$search' || name === '$vectorSearch') {
      throw badValue(`${name} is not supported by the mongo stand-in`);
    }
    if (name === '$match') checkFilter(arg);
    if (name === '$count' && typeof arg === 'string') {
      return [{ $group: { _id: null, [arg]: { $sum: 1 } } }, { $project: { _id: 0 } }];
    }
    if (name === '$facet' && isDoc(arg)) {
      const facets: Doc = {};
      for (const [k, p] of Object.entries(arg))
        facets[k] = rewritePipeline(Array.isArray(p) ? p : []);
      return [{ $facet: facets }];
    }
    if (
      (name === '$lookup' || name === '$unionWith') &&
      isDoc(arg) &&
      Array.isArray(arg.pipeline)
    ) {
      return [{ [name]: { ...arg, pipeline: rewritePipeline(arg.pipeline) } }];
    }
    return [normaliseTimezones(stage) as Doc];
  });
}

function normaliseTimezones(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normaliseTimezones);
  if (!isDoc(v)) return v;
  const out: Doc = {};
  for (const [k, val] of Object.entries(v)) {
    out[k] =
      k === 'timezone' && typeof val === 'string' && /^(UTC|GMT|Etc\/UTC|Etc\/GMT|Z)$/i.test(val)
        ? '+00:00'
        : normaliseTimezones(val);
  }
  return out;
}

export function runPipeline(
  docs: Doc[],
  pipeline: unknown[],
  resolver?: Resolver,
  variables?: Doc,
): Doc[] {
  const agg = new Aggregator(rewritePipeline(pipeline), makeOptions(resolver, variables));
  return agg.run(docs) as Doc[];
}

export { cloneDoc };
