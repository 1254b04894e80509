import { Doc, CommandError, isDoc } from './errors';
import type { Query } from 'mingo/query';
import { compileQuery } from './engine';
import { MISSING, canonicalKey, formatValue, valuesAt } from './values';

export interface IndexSpec {
  v: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

let clock = 0;
export const nextVersion = (): number => ++clock;

/**
 * One collection's committed (or transaction-private) state. Stored documents are never
 * mutated: writes replace them, which makes shallow Map copies valid snapshots.
 */
export class CollState {
  docs = new Map<string, Doc>();
  versions = new Map<string, number>();
  indexes: IndexSpec[] = [{ v: 2, key: { _id: 1 }, name: '_id_' }];
  unique = new Map<string, Map<string, string>>();
  options: Doc = {};

  constructor(
    readonly db: string,
    readonly name: string,
  ) {}

  clone(): CollState {
    const c = new CollState(this.db, this.name);
    c.docs = new Map(this.docs);
    c.versions = new Map(this.versions);
    c.indexes = this.indexes.map((i) => ({ ...i }));
    for (const [name, m] of this.unique) c.unique.set(name, new Map(m));
    c.options = this.options;
    return c;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  all(): Doc[] {
    return [...this.docs.values()];
  }

  insert(key: string, doc: Doc): void {
    if (this.docs.has(key)) throw this.duplicate(this.indexes[0], { _id: doc._id });
    this.addIndexEntries(key, doc);
    this.docs.set(key, doc);
    this.versions.set(key, nextVersion());
  }

  replace(key: string, doc: Doc): void {
    const old = this.docs.get(key);
    if (!old) throw new CommandError(8, `document ${key} vanished`);
    this.removeIndexEntries(key, old);
    try {
      this.addIndexEntries(key, doc);
    } catch (err) {
      this.addIndexEntries(key, old);
      throw err;
    }
    this.docs.set(key, doc);
    this.versions.set(key, nextVersion());
  }

  remove(key: string): void {
    const old = this.docs.get(key);
    if (!old) return;
    this.removeIndexEntries(key, old);
    this.docs.delete(key);
    this.versions.set(key, nextVersion());
  }

  /** Builds the unique map for a new index; throws 11000 (nothing changed) on existing dups. */
  addIndex(spec: IndexSpec): void {
    if (spec.unique && spec.name !== '_id_') {
      const map = new Map<string, string>();
      for (const [key, doc] of this.docs) {
        for (const k of indexKeys(spec, doc)) {
          if (map.has(k) && map.get(k) !== key) {
            const dup = this.duplicate(spec, keyValue(spec, doc));
            throw new CommandError(11000, `Index build failed: ${dup.message}`, dup.extra);
          }
          map.set(k, key);
        }
      }
      this.unique.set(spec.name, map);
    }
    this.indexes.push(spec);
  }

  dropIndex(name: string): void {
    this.indexes = this.indexes.filter((i) => i.name !== name);
    this.unique.delete(name);
  }

  findByUnique(indexName: string, canonical: string): Doc | undefined {
    const key = this.unique.get(indexName)?.get(canonical);
    return key === undefined ? undefined : this.docs.get(key);
  }

  private addIndexEntries(key: string, doc: Doc): void {
    const added: Array<[Map<string, string>, string]> = [];
    for (const spec of this.indexes) {
      const map = this.unique.get(spec.name);
      if (!map) continue;
      for (const k of indexKeys(spec, doc)) {
        const owner = map.get(k);
        if (owner !== undefined && owner !== key) {
          for (const [m, kk] of added) m.delete(kk);
          throw this.duplicate(spec, keyValue(spec, doc));
        }
        if (owner === undefined) {
          map.set(k, key);
          added.push([map, k]);
        }
      }
    }
  }

  private removeIndexEntries(key: string, doc: Doc): void {
    for (const spec of this.indexes) {
      const map = this.unique.get(spec.name);
      if (!map) continue;
      for (const k of indexKeys(spec, doc)) if (map.get(k) === key) map.delete(k);
    }
  }

  private duplicate(spec: IndexSpec, value: Doc): CommandError {
    const rendered = Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ');
    return new CommandError(
      11000,
      `E11000 duplicate key error collection: ${this.ns} index: ${spec.name} dup key: { ${rendered} }`,
      { keyPattern: { ...spec.key }, keyValue: value },
    );
  }
}

function keyValue(spec: IndexSpec, doc: Doc): Doc {
  const out: Doc = {};
  for (const field of Object.keys(spec.key)) {
    const vals = valuesAt(doc, field);
    const v = vals.length === 1 ? vals[0] : vals;
    out[field] = v === MISSING || v === undefined ? null : v;
  }
  return out;
}

const partialCache = new WeakMap<Doc, Query>();

function partialFilter(expr: Doc): Query {
  let q = partialCache.get(expr);
  if (!q) {
    q = compileQuery(expr);
    partialCache.set(expr, q);
  }
  return q;
}

/** Keys a document contributes to an index: none if sparse/partial excludes it. */
export function indexKeys(spec: IndexSpec, doc: Doc): string[] {
  const fields = Object.keys(spec.key);
  const perField = fields.map((f) => valuesAt(doc, f));
  if (spec.sparse && perField.every((vals) => vals.every((v) => v === MISSING))) return [];
  if (spec.partialFilterExpression && !partialFilter(spec.partialFilterExpression).test(doc))
    return [];
  let combos: string[] = [''];
  for (const vals of perField) {
    const keys = [...new Set(vals.map((v) => canonicalKey(v === MISSING ? null : v)))];
    combos = combos.flatMap((prefix) => keys.map((k) => (prefix ? `${prefix}|${k}` : k)));
  }
  return combos;
}

export function sameKeyPattern(a: Doc, b: Doc): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length && ka.every((k, i) => k === kb[i] && String(a[k]) === String(b[k]))
  );
}

export function isIndexSpec(v: unknown): v is IndexSpec {
  return isDoc(v) && isDoc(v.key) && typeof v.name === 'string';
}
