import { CollState } from './collection';

export class Store {
  readonly dbs = new Map<string, Map<string, CollState>>();

  get(db: string, coll: string): CollState | undefined {
    return this.dbs.get(db)?.get(coll);
  }

  create(db: string, coll: string): CollState {
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    const state = new CollState(db, coll);
    colls.set(coll, state);
    return state;
  }

  getOrCreate(db: string, coll: string): CollState {
    return this.get(db, coll) ?? this.create(db, coll);
  }

  set(state: CollState): void {
    if (!this.dbs.has(state.db)) this.dbs.set(state.db, new Map());
    this.dbs.get(state.db)?.set(state.name, state);
  }

  drop(db: string, coll: string): boolean {
    const colls = this.dbs.get(db);
    const had = colls?.delete(coll) ?? false;
    if (colls && colls.size === 0) this.dbs.delete(db);
    return had;
  }

  collections(db: string): CollState[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }
}

/** Where a command reads and writes: the committed store, or a transaction's snapshot. */
export interface Scope {
  readonly inTransaction: boolean;
  read(db: string, coll: string): CollState | undefined;
  write(db: string, coll: string): CollState;
  /** Called before a document key is written; throws 112 on a conflicting writer. */
  beforeWrite(state: CollState, key: string): void;
  /** Called after a write error: transactions abort on it. */
  onError(): void;
}

export function committedScope(store: Store): Scope {
  return {
    inTransaction: false,
    read: (db, coll) => store.get(db, coll),
    write: (db, coll) => store.getOrCreate(db, coll),
    beforeWrite: () => undefined,
    onError: () => undefined,
  };
}
