import mongoose, { Types } from 'mongoose';
import { insightQueries, type InsightQuery } from '../../src/modules/analytics/insight-queries';

/** A query as an index sees it: equality fields, then sort fields, then range fields (ESR). */
export interface QueryShape {
  equality: string[];
  sort: [string, 1 | -1][];
  range: string[];
}

export interface DeclaredIndex {
  name: string;
  key: [string, 1 | -1][];
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !(value instanceof Types.ObjectId) &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((k) => k.startsWith('$'))
  );
}

/** `['$field', value]` of an $expr equality, the field without its `$`. */
function exprEquality(expr: unknown, name: string): string {
  const pair = (expr as { $eq?: unknown }).$eq;
  if (!Array.isArray(pair) || typeof pair[0] !== 'string' || !pair[0].startsWith('$')) {
    throw new Error(`${name}: only $eq of a field (or $and of those) is understood in $expr`);
  }
  return pair[0].slice(1);
}

function exprEqualities(expr: unknown, name: string): string[] {
  const and = (expr as { $and?: unknown }).$and;
  if (Array.isArray(and)) return and.flatMap((part) => exprEqualities(part, name));
  return [exprEquality(expr, name)];
}

/**
 * Derives a declared query's shape from its filter and sort. Anything this cannot classify fails
 * the test rather than being guessed at: a new operator needs a deliberate decision here.
 */
export function shapeOf(query: InsightQuery): QueryShape {
  const shape: QueryShape = { equality: [], sort: [], range: [] };
  const sorted = query.sort && Object.keys(query.sort).length > 0;
  for (const [field, value] of Object.entries(query.filter)) {
    if (field === '$expr') {
      shape.equality.push(...exprEqualities(value, query.name));
    } else if (field.startsWith('$')) {
      throw new Error(`${query.name}: top-level ${field} is not classified`);
    } else if (!isOperatorObject(value)) {
      shape.equality.push(field);
    } else {
      const ops = Object.keys(value);
      if (ops.length === 1 && ops[0] === '$eq') shape.equality.push(field);
      // $in is a set of equality points; under a sort its results are merged, so count it as a range.
      else if (ops.length === 1 && ops[0] === '$in' && !sorted) shape.equality.push(field);
      else if (ops.every((op) => RANGE_OPS.has(op)) || (ops[0] === '$in' && sorted))
        shape.range.push(field);
      else throw new Error(`${query.name}: operators ${ops.join(', ')} on ${field} not classified`);
    }
  }
  for (const [field, direction] of Object.entries(query.sort ?? {})) {
    shape.sort.push([field, direction]);
  }
  return shape;
}

/**
 * A model's declared indexes (`Model.schema.indexes()`) that can serve any query (not partial,
 * not sparse), and `_id`.
 */
export function declaredIndexes(
  schemaIndexes: ReturnType<mongoose.Schema['indexes']>,
): DeclaredIndex[] {
  const indexes: DeclaredIndex[] = [{ name: '_id_', key: [['_id', 1]] }];
  for (const [key, options] of schemaIndexes) {
    if (options.partialFilterExpression || options.sparse) continue;
    const fields = Object.entries(key).filter(
      (entry): entry is [string, 1 | -1] => entry[1] === 1 || entry[1] === -1,
    );
    if (fields.length !== Object.keys(key).length) continue; // text, hashed, 2dsphere
    indexes.push({ name: fields.map(([f, d]) => `${f}_${d}`).join('_'), key: fields });
  }
  return indexes;
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && a.every((field) => b.includes(field));

/**
 * True when the index serves the shape in ESR order: its first fields are the equality fields (in
 * any order), then the sort fields in order, all in the index's direction or all reversed (a sort
 * on an equality field is free), then the range fields not already sorted on.
 */
export function covers(index: DeclaredIndex, shape: QueryShape): boolean {
  const key = index.key;
  let at = 0;
  const equality = [...new Set(shape.equality)];
  if (
    !sameSet(
      key.slice(at, at + equality.length).map(([f]) => f),
      equality,
    )
  )
    return false;
  at += equality.length;

  const sort = shape.sort.filter(([field]) => !equality.includes(field));
  let flipped: boolean | undefined;
  for (const [field, direction] of sort) {
    const entry = key[at];
    if (!entry || entry[0] !== field) return false;
    const reversed = entry[1] !== direction;
    if (flipped !== undefined && flipped !== reversed) return false;
    flipped = reversed;
    at += 1;
  }

  const sortedFields = sort.map(([field]) => field);
  const range = [...new Set(shape.range)].filter((field) => !sortedFields.includes(field));
  return sameSet(
    key.slice(at, at + range.length).map(([f]) => f),
    range,
  );
}

export function isEmptyShape(shape: QueryShape): boolean {
  return shape.equality.length + shape.sort.length + shape.range.length === 0;
}

/** Every declared query, made with sample arguments (each optional argument both ways). */
export function everyDeclaredQuery(): InsightQuery[] {
  const range = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') };
  const since = new Date('2026-11-24T00:00:00Z');
  const q = insightQueries;
  return [
    q.eventsInRange(range),
    q.eventsExport(range),
    q.eventsExport(range, 'composite_download'),
    q.downloads(),
    q.galleryTemplates(),
    q.galleryTemplatesSince(since),
    q.newestTemplates(),
    q.templatesByIds([new Types.ObjectId().toHexString()]),
    q.compositesSince(since),
    q.newestComposites(),
    q.activeUsersSince(since),
    q.newestUsers(),
    q.sessionsInRange(range),
    q.sessionsInRange(range, new Types.ObjectId().toHexString()),
    q.compositeOfSession(),
    q.downloadOfSession(),
    q.approvedPayments(range),
  ];
}

/**
 * The filter a find would send for the same shape: a lookup's `$expr` equalities with the
 * variable replaced by a sample value (what the planner sees for one outer document).
 */
export function plainFilter(query: InsightQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(query.filter)) {
    if (field !== '$expr') {
      filter[field] = value;
      continue;
    }
    const pairs = (function collect(expr: unknown): unknown[][] {
      const and = (expr as { $and?: unknown }).$and;
      if (Array.isArray(and)) return and.flatMap(collect);
      return [(expr as { $eq: unknown[] }).$eq];
    })(value);
    for (const [path, operand] of pairs) {
      const sample =
        typeof operand === 'string' && operand.startsWith('$$')
          ? new Types.ObjectId().toHexString()
          : operand;
      filter[String(path).slice(1)] = sample;
    }
  }
  return mongoose.trusted(filter) as Record<string, unknown>;
}
