import mongoose from 'mongoose';
import '../../src/models';
import { useTestDatabase } from '../helpers/database';
import { everyDeclaredQuery, plainFilter } from '../helpers/index-coverage';

/**
 * The planner's word on the declared dashboard and analytics queries: on a real mongod each one
 * is an index scan, never a collection scan. The in-repo stand-in has no query planner and must
 * say so with a MongoDB error instead of inventing a plan; then the planner checks are not
 * registered (set TEST_MONGODB_URI to a real mongod to run them). The ESR coverage check
 * (tests/unit/analytics/index-coverage.test.ts) runs either way.
 */
const onRealMongod = process.env.KK_TEST_MONGODB_KIND !== 'standin';
useTestDatabase('index_explain');

/** Every `stage` in a winning plan (classic `inputStage(s)` trees and SBE `queryPlan`). */
function stagesOf(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(stagesOf);
  if (typeof plan !== 'object' || plan === null) return [];
  return Object.entries(plan).flatMap(([key, value]) =>
    key === 'stage' && typeof value === 'string' ? [value] : stagesOf(value),
  );
}

if (onRealMongod) {
  describe('explain() of every declared insight query (real mongod)', () => {
    it.each(everyDeclaredQuery().map((query) => [query.name, query] as const))(
      '%s: IXSCAN, no COLLSCAN',
      async (_name, query) => {
        const model = mongoose.model(query.model);
        let find = model.find(plainFilter(query));
        if (query.sort) find = find.sort(query.sort);
        const explained = (await find.explain('queryPlanner')) as unknown as {
          queryPlanner: { winningPlan: unknown };
        };
        const stages = stagesOf(explained.queryPlanner.winningPlan);
        expect(stages).not.toContain('COLLSCAN');
        expect(stages.some((stage) => /IXSCAN|IDHACK/.test(stage))).toBe(true);
      },
    );
  });
} else {
  describe('explain() on the stand-in', () => {
    it('is refused with a MongoDB error code (no pretend planner); the IXSCAN checks need TEST_MONGODB_URI', async () => {
      process.stdout.write(
        '[index-explain] the stand-in has no query planner: explain() checks run only against a real mongod (TEST_MONGODB_URI)\n',
      );
      const [query] = everyDeclaredQuery();
      if (!query) throw new Error('no declared queries');
      const error = await mongoose
        .model(query.model)
        .find(plainFilter(query))
        .explain('queryPlanner')
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
      expect((error as { code?: number }).code).toBe(59);
    });
  });
}
