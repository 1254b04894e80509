import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { Doc, isDoc } from './errors';

/**
 * Decimal128 as stored. mingo compares same-class objects by `toString()`, so the string
 * is an order-preserving canonical form (9.5 == 9.50, 10 > 9.5); `toBSON()` gives the exact
 * original Decimal128 back on the wire.
 */
export class Dec {
  private readonly sortKey: string;
  constructor(readonly value: Decimal128) {
    this.sortKey = decimalSortKey(value.toString());
  }
  toBSON(): Decimal128 {
    return this.value;
  }
  toString(): string {
    return this.sortKey;
  }
  toJSON(): string {
    return this.value.toString();
  }
}

function decimalSortKey(text: string): string {
  if (text === 'NaN' || text === '-NaN') return '0';
  if (text === '-Infinity') return '1';
  if (text === 'Infinity') return '9';
  const negative = text.startsWith('-');
  const [mantissa, expPart] = text.replace(/^[-+]/, '').toUpperCase().split('E');
  const [intPart, fracPart = ''] = mantissa.split('.');
  const allDigits = intPart + fracPart;
  const lead = allDigits.search(/[1-9]/);
  if (lead < 0) return '5';
  const digits = allDigits.slice(lead).replace(/0+$/, '');
  // value = 0.<digits> x 10^exp
  const exp = intPart.length - lead + Number(expPart ?? 0);
  const biased = exp + 50000;
  if (!negative) return `6${String(biased).padStart(6, '0')}${digits}`;
  const inverted = [...digits].map((d) => String(9 - Number(d))).join('');
  return `4${String(999999 - biased).padStart(6, '0')}${inverted}~`;
}

/** Converts wire values to their stored form, in place (Decimal128 → Dec). */
export function ingest<T>(value: T): T {
  return convert(value) as T;
}

function convert(value: unknown): unknown {
  if (value instanceof Decimal128) return new Dec(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = convert(value[i]);
    return value;
  }
  if (isDoc(value)) {
    for (const k of Object.keys(value)) value[k] = convert(value[k]);
  }
  return value;
}

/** Copies plain objects and arrays; BSON class instances are immutable in practice and shared. */
export function cloneDoc<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneDoc(v)) as T;
  if (isDoc(value)) {
    const out: Doc = {};
    for (const k of Object.keys(value)) out[k] = cloneDoc(value[k]);
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return value;
}

/** A string that is equal for values MongoDB's index considers equal (used for unique maps). */
export function canonicalKey(value: unknown): string {
  if (value === null || value === undefined) return 'z';
  if (typeof value === 'number') return `n${Object.is(value, -0) ? 0 : value}`;
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return value ? 'bt' : 'bf';
  if (typeof value === 'bigint') return `n${value.toString()}`;
  if (value instanceof Long) return `n${value.toString()}`;
  if (value instanceof Dec) return `D${value.toString()}`;
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof Binary)
    return `x${value.sub_type}:${Buffer.from(value.buffer).toString('hex')}`;
  if (value instanceof Timestamp) return `t${value.toString()}`;
  if (value instanceof RegExp) return `r${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (isDoc(value)) {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${canonicalKey(value[k])}`)
      .join(',')}}`;
  }
  return `?${String(value)}`;
}

/** mongod's shell-like rendering used in E11000 messages. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof Dec) return `${value.value.toString()}`;
  if (Array.isArray(value)) return `[ ${value.map(formatValue).join(', ')} ]`;
  if (isDoc(value)) {
    return `{ ${Object.keys(value)
      .map((k) => `${k}: ${formatValue(value[k])}`)
      .join(', ')} }`;
  }
  return String(value);
}

export const MISSING = Symbol('missing');

/** Reads a dotted path without descending into arrays (index keys use `valuesAt`). */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (isDoc(cur) && part in cur) cur = cur[part];
    else return MISSING;
  }
  return cur;
}

/** All values a multikey index sees at `path` (arrays fan out one level per segment). */
export function valuesAt(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const walk = (cur: unknown, i: number): unknown[] => {
    if (i === parts.length) return Array.isArray(cur) ? (cur.length ? cur : [undefined]) : [cur];
    if (Array.isArray(cur)) {
      if (/^\d+$/.test(parts[i])) return walk(cur[Number(parts[i])], i + 1);
      return cur.flatMap((el) => walk(el, i));
    }
    if (isDoc(cur) && parts[i] in cur) return walk(cur[parts[i]], i + 1);
    return [MISSING];
  };
  return walk(doc, 0);
}

export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (!isDoc(next)) cur[part] = {};
    cur = cur[part] as Doc;
  }
  cur[parts[parts.length - 1]] = value;
}

export function withIdFirst(doc: Doc, id: unknown): Doc {
  const out: Doc = { _id: id };
  for (const k of Object.keys(doc)) if (k !== '_id') out[k] = doc[k];
  return out;
}
