import mongoose, { type Model } from 'mongoose';

interface Validatable {
  validate(): Promise<void>;
}

/** The paths a document fails validation on (empty when it is valid). */
export async function invalidPaths(doc: Validatable): Promise<string[]> {
  try {
    await doc.validate();
    return [];
  } catch (error) {
    if (error instanceof mongoose.Error.ValidationError) return Object.keys(error.errors).sort();
    throw error;
  }
}

export interface ReportedIndex {
  key: Record<string, number | string>;
  name?: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Record<string, unknown>;
}

/** The index with exactly this key (same fields, order and directions), as the server reports it. */
export async function findIndex<T>(
  model: Model<T>,
  key: Record<string, number>,
): Promise<ReportedIndex | undefined> {
  const indexes = (await model.collection.indexes()) as ReportedIndex[];
  const wanted = JSON.stringify(Object.entries(key));
  return indexes.find(
    (index) => JSON.stringify(Object.entries(index.key).map(([k, v]) => [k, Number(v)])) === wanted,
  );
}

/** The driver error code of a failed write (11000 for a duplicate key). */
export async function writeErrorCode(write: Promise<unknown>): Promise<number | undefined> {
  try {
    await write;
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'number' ? code : undefined;
  }
}
