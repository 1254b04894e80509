import { indexKeys } from './collection';
import { ttlSettings } from './commands/admin';
import { Store } from './store';
import { MISSING, canonicalKey, valuesAt } from './values';

/** Deletes documents whose TTL-indexed date (earliest, for arrays) is older than expireAfterSeconds. */
export function sweepExpired(store: Store, now = Date.now()): number {
  let removed = 0;
  for (const colls of store.dbs.values()) {
    for (const state of colls.values()) {
      for (const spec of state.indexes) {
        if (spec.expireAfterSeconds === undefined) continue;
        const field = Object.keys(spec.key)[0];
        for (const doc of state.all()) {
          const dates = valuesAt(doc, field).filter(
            (v): v is Date => v !== MISSING && v instanceof Date,
          );
          if (dates.length === 0) continue;
          if (spec.partialFilterExpression && indexKeys(spec, doc).length === 0) continue;
          const earliest = Math.min(...dates.map((d) => d.getTime()));
          if (earliest + spec.expireAfterSeconds * 1000 <= now) {
            state.remove(canonicalKey(doc._id));
            removed++;
          }
        }
      }
    }
  }
  return removed;
}

export function startTtlMonitor(store: Store): () => void {
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    timer = setInterval(() => sweepExpired(store), ttlSettings.intervalMs);
  };
  ttlSettings.onChange = schedule;
  schedule();
  return () => {
    if (timer) clearInterval(timer);
  };
}
