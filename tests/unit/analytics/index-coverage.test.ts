import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import '../../../src/models';
import { insightQueries } from '../../../src/modules/analytics/insight-queries';
import {
  covers,
  declaredIndexes,
  everyDeclaredQuery,
  isEmptyShape,
  shapeOf,
  type DeclaredIndex,
} from '../../helpers/index-coverage';

const queries = everyDeclaredQuery();

describe('index coverage of the dashboard and analytics queries (ESR)', () => {
  it('makes every declared query (each optional argument both ways)', () => {
    for (const key of Object.keys(insightQueries)) {
      expect(queries.some((query) => query.name.startsWith(key))).toBe(true);
    }
  });

  it.each(queries.map((query) => [query.name, query] as const))(
    '%s is served by a declared index in equality, sort, range order',
    (_name, query) => {
      const shape = shapeOf(query);
      expect(isEmptyShape(shape)).toBe(false);
      const indexes = declaredIndexes(mongoose.model(query.model).schema.indexes());
      const serving = indexes.filter((index) => covers(index, shape));
      if (serving.length === 0) {
        throw new Error(
          `${query.name} on ${query.model} (equality ${shape.equality.join(',')}; sort ${JSON.stringify(shape.sort)}; range ${shape.range.join(',')}) has no index; declared: ${indexes.map((i) => i.name).join(' | ')}`,
        );
      }
      expect(serving.length).toBeGreaterThan(0);
    },
  );

  it('is used by the services: each declaration is what a service runs', () => {
    const dir = path.join(__dirname, '../../../src/modules/analytics');
    const sources = readdirSync(dir)
      .filter((file) => file.endsWith('.service.ts'))
      .map((file) => readFileSync(path.join(dir, file), 'utf8'))
      .join('\n');
    const unused = Object.keys(insightQueries).filter(
      (key) => !sources.includes(`insightQueries.${key}(`),
    );
    expect(unused).toEqual([]);
  });
});

describe('the ESR check itself', () => {
  const index = (...key: [string, 1 | -1][]): DeclaredIndex => ({ name: 'test', key });
  const byTypeInRange = shapeOf({
    name: 'byTypeInRange',
    model: 'AnalyticsEvent',
    filter: { eventType: 'x', timestamp: { $gte: new Date(0), $lt: new Date() } },
  });

  it('accepts equality then range, and refuses range first or a missing field', () => {
    expect(covers(index(['eventType', 1], ['timestamp', 1]), byTypeInRange)).toBe(true);
    expect(covers(index(['timestamp', 1], ['eventType', 1]), byTypeInRange)).toBe(false);
    expect(covers(index(['eventType', 1]), byTypeInRange)).toBe(false);
    expect(covers(index(['eventType', 1], ['userId', 1], ['timestamp', 1]), byTypeInRange)).toBe(
      false,
    );
  });

  it('accepts a sort in the index direction or fully reversed, not mixed, and not after a range', () => {
    const shape = shapeOf({
      name: 'sorted',
      model: 'User',
      filter: { isDeleted: false, lastLogin: { $gte: new Date(0) } },
      sort: { createdAt: -1, _id: -1 },
    });
    const esr = index(['isDeleted', 1], ['createdAt', -1], ['_id', -1], ['lastLogin', 1]);
    expect(covers(esr, shape)).toBe(true);
    expect(
      covers(index(['isDeleted', 1], ['createdAt', 1], ['_id', 1], ['lastLogin', 1]), shape),
    ).toBe(true);
    expect(
      covers(index(['isDeleted', 1], ['createdAt', -1], ['_id', 1], ['lastLogin', 1]), shape),
    ).toBe(false);
    expect(
      covers(index(['isDeleted', 1], ['lastLogin', 1], ['createdAt', -1], ['_id', -1]), shape),
    ).toBe(false);
  });

  it('reads a lookup’s $expr equalities, and refuses operators it does not classify', () => {
    expect(shapeOf(insightQueries.downloadOfSession()).equality).toEqual([
      'sessionId',
      'eventType',
    ]);
    expect(() =>
      shapeOf({ name: 'or', model: 'User', filter: { $or: [{ a: 1 }, { b: 1 }] } }),
    ).toThrow('not classified');
    expect(() => shapeOf({ name: 'ne', model: 'User', filter: { a: { $ne: 1 } } })).toThrow(
      'not classified',
    );
  });
});
