import mongoose from 'mongoose';

/**
 * Global mongoose settings; call once at start-up, before any query runs.
 * - strictQuery: filter keys that are not in the schema are dropped instead of matching nothing silently.
 * - sanitizeFilter: a request value like `{ "$ne": null }` is wrapped in `$eq`, so it cannot become an
 *   operator (query selector injection). Server-built operators need `mongoose.trusted(...)` on the
 *   operator's operand (`{ $expr: mongoose.trusted({ $lt: [...] }) }`); trusting an array (e.g. the
 *   whole `$or` list) has no effect because mongoose clones the filter first.
 * - runValidators: enums, ranges and the slot-count rule also apply to update queries, not only to save().
 */
export function applyMongooseDefaults(): void {
  mongoose.set('strictQuery', true);
  mongoose.set('sanitizeFilter', true);
  mongoose.set('runValidators', true);
}
