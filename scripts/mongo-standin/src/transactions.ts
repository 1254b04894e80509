import { Binary } from 'bson';
import { CollState } from './collection';
import { CommandError, Doc, isDoc, transientError } from './errors';
import { Scope, Store, committedScope } from './store';

type TxnState = 'active' | 'committed' | 'aborted';

interface Txn {
  readonly txnNumber: number;
  state: TxnState;
  readonly views: Map<string, CollState | null>;
  /** ns → document key → committed version seen by the snapshot (undefined: absent). */
  readonly written: Map<string, Map<string, number | undefined>>;
}

interface Session {
  txn?: Txn;
}

const nsKey = (db: string, coll: string): string => `${db}.${coll}`;

export class Transactions {
  private readonly sessions = new Map<string, Session>();
  private readonly locks = new Map<string, Txn>();

  constructor(private readonly store: Store) {}

  /** The scope a command runs in, per its lsid/txnNumber/autocommit/startTransaction. */
  scopeFor(cmd: Doc): Scope {
    if (cmd.autocommit !== false) return committedScope(this.store);
    const session = this.session(cmd);
    const txnNumber = Number(cmd.txnNumber);
    if (!session || !Number.isFinite(txnNumber)) {
      throw new CommandError(50768, 'txnNumber and lsid are required for a transaction');
    }
    if (cmd.startTransaction === true) {
      if (session.txn && session.txn.txnNumber >= txnNumber && session.txn.state !== 'aborted') {
        throw new CommandError(
          225,
          `Cannot start transaction ${txnNumber}: a newer or equal one exists`,
        );
      }
      if (session.txn?.state === 'active') this.finish(session.txn, 'aborted');
      session.txn = { txnNumber, state: 'active', views: new Map(), written: new Map() };
    }
    const txn = session.txn;
    if (!txn || txn.txnNumber !== txnNumber || txn.state !== 'active') {
      throw transientError(
        251,
        `Transaction with { txnNumber: ${txnNumber} } has been aborted or does not exist`,
      );
    }
    return this.txnScope(txn);
  }

  commit(cmd: Doc): Doc {
    const txn = this.namedTxn(cmd);
    if (txn.state === 'committed') return { ok: 1 };
    if (txn.state === 'aborted') throw transientError(251, 'Transaction has been aborted.');
    const candidates: CollState[] = [];
    try {
      for (const [ns, keys] of txn.written) {
        const view = txn.views.get(ns);
        if (!view) continue;
        const committed = this.store.get(view.db, view.name);
        for (const [key, base] of keys) {
          if (committed?.versions.get(key) !== base) throw this.conflict();
        }
        const cand = committed ? committed.clone() : view.clone();
        if (committed) {
          for (const key of keys.keys()) {
            const doc = view.docs.get(key);
            if (!doc) cand.remove(key);
            else if (cand.docs.has(key)) cand.replace(key, doc);
            else cand.insert(key, doc);
          }
        }
        candidates.push(cand);
      }
    } catch (err) {
      this.finish(txn, 'aborted');
      if (err instanceof CommandError && err.code === 11000) throw this.conflict();
      throw err;
    }
    for (const cand of candidates) this.store.set(cand);
    this.finish(txn, 'committed');
    return { ok: 1 };
  }

  abort(cmd: Doc): Doc {
    const txn = this.namedTxn(cmd);
    if (txn.state === 'committed') throw new CommandError(256, 'Transaction has been committed.');
    if (txn.state === 'aborted') throw transientError(251, 'Transaction has been aborted.');
    this.finish(txn, 'aborted');
    return { ok: 1 };
  }

  endSessions(ids: unknown[]): void {
    for (const lsid of ids) {
      const key = sessionKey(lsid);
      const txn = key ? this.sessions.get(key)?.txn : undefined;
      if (txn?.state === 'active') this.finish(txn, 'aborted');
      if (key) this.sessions.delete(key);
    }
  }

  private namedTxn(cmd: Doc): Txn {
    const session = this.session(cmd);
    const txnNumber = Number(cmd.txnNumber);
    const txn = session?.txn;
    if (!txn || txn.txnNumber !== txnNumber) {
      throw transientError(251, `Transaction with { txnNumber: ${txnNumber} } does not exist`);
    }
    return txn;
  }

  private session(cmd: Doc): Session | undefined {
    const key = sessionKey(cmd.lsid);
    if (!key) return undefined;
    let s = this.sessions.get(key);
    if (!s) {
      s = {};
      this.sessions.set(key, s);
    }
    return s;
  }

  private conflict(): CommandError {
    return transientError(
      112,
      'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
    );
  }

  private finish(txn: Txn, state: TxnState): void {
    txn.state = state;
    txn.views.clear();
    for (const [lock, owner] of this.locks) if (owner === txn) this.locks.delete(lock);
  }

  private txnScope(txn: Txn): Scope {
    const view = (db: string, coll: string): CollState | undefined => {
      const ns = nsKey(db, coll);
      if (!txn.views.has(ns)) txn.views.set(ns, this.store.get(db, coll)?.clone() ?? null);
      return txn.views.get(ns) ?? undefined;
    };
    return {
      inTransaction: true,
      read: view,
      write: (db, coll) => {
        const existing = view(db, coll);
        if (existing) return existing;
        const created = new CollState(db, coll);
        txn.views.set(nsKey(db, coll), created);
        return created;
      },
      beforeWrite: (state, key) => {
        const ns = state.ns;
        let keys = txn.written.get(ns);
        if (!keys) {
          keys = new Map();
          txn.written.set(ns, keys);
        }
        if (!keys.has(key)) keys.set(key, state.versions.get(key));
        const lockKey = `${ns}\u0000${key}`;
        const owner = this.locks.get(lockKey);
        const committed = this.store.get(state.db, state.name);
        if ((owner && owner !== txn) || committed?.versions.get(key) !== keys.get(key)) {
          this.finish(txn, 'aborted');
          throw this.conflict();
        }
        this.locks.set(lockKey, txn);
      },
      onError: () => {
        if (txn.state === 'active') this.finish(txn, 'aborted');
      },
    };
  }
}

function sessionKey(lsid: unknown): string | undefined {
  if (!isDoc(lsid)) return undefined;
  const id = lsid.id;
  return id instanceof Binary ? Buffer.from(id.buffer).toString('hex') : undefined;
}
