import { ObjectId } from 'bson';
import { compileQuery } from '../engine';
import { CommandError, Doc, isDoc, notSupported } from '../errors';
import { canonicalKey } from '../values';
import { Command, Ctx, checkCollation, collName, optDoc } from './context';

export const ttlSettings = { intervalMs: 60_000, onChange: (): void => undefined };

const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

function hello(ctx: Ctx, legacy: boolean): Doc {
  const me = `${ctx.server.host}:${ctx.server.port}`;
  // No topologyVersion: it would switch the driver to awaitable (streaming) hello.
  const reply: Doc = {
    helloOk: true,
    isWritablePrimary: true,
    ...(legacy ? { ismaster: true } : {}),
    hosts: [me],
    setName: ctx.server.replSet,
    setVersion: 1,
    primary: me,
    me,
    electionId: ELECTION_ID,
    secondary: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
  return reply;
}

const HELLO_FIELDS = [
  'helloOk',
  'client',
  'compression',
  'saslSupportedMechs',
  'loadBalanced',
  'backpressure',
  'topologyVersion',
  'maxAwaitTimeMS',
  'speculativeAuthenticate',
];

export const helloCmd: Command = {
  fields: HELLO_FIELDS,
  transactional: true,
  run: (ctx) => hello(ctx, false),
};
export const isMasterCmd: Command = {
  fields: HELLO_FIELDS,
  transactional: true,
  run: (ctx) => hello(ctx, true),
};
export const ping: Command = { fields: [], transactional: true, run: () => ({ ok: 1 }) };

export const buildInfo: Command = {
  fields: [],
  transactional: true,
  run: () => ({
    version: '7.0.0',
    gitVersion: 'karyaklik-mongo-standin',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['inMemory'],
    modules: [],
    javascriptEngine: 'none',
    mongoStandin: true,
    ok: 1,
  }),
};

function parameters(): Doc {
  return {
    featureCompatibilityVersion: { version: '7.0' },
    ttlMonitorSleepSecs: Math.max(1, Math.round(ttlSettings.intervalMs / 1000)),
    ttlMonitorEnabled: true,
    transactionLifetimeLimitSeconds: 60,
  };
}

export const getParameter: Command = {
  fields: Object.keys(parameters()),
  run(ctx) {
    const all = parameters();
    if (ctx.cmd.getParameter === '*') return { ...all, ok: 1 };
    const out: Doc = {};
    for (const k of Object.keys(ctx.cmd).slice(1)) if (k in all) out[k] = all[k];
    if (Object.keys(out).length === 0) throw new CommandError(72, 'no option found to get');
    return { ...out, ok: 1 };
  },
};

export const setParameter: Command = {
  fields: ['ttlMonitorSleepSecs'],
  run(ctx) {
    const secs = Number(ctx.cmd.ttlMonitorSleepSecs);
    if (!(secs >= 1))
      throw new CommandError(72, 'the mongo stand-in can only set ttlMonitorSleepSecs (>= 1)');
    const was = parameters().ttlMonitorSleepSecs;
    ttlSettings.intervalMs = secs * 1000;
    ttlSettings.onChange();
    return { was, ok: 1 };
  },
};

export const connectionStatus: Command = {
  fields: ['showPrivileges'],
  run: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
};

export const endSessions: Command = {
  fields: [],
  run(ctx) {
    const ids = ctx.cmd.endSessions;
    ctx.txns.endSessions(Array.isArray(ids) ? ids : []);
    return { ok: 1 };
  },
};

export const commitTransaction: Command = {
  fields: ['recoveryToken'],
  transactional: true,
  run: (ctx) => ctx.txns.commit(ctx.cmd),
};
export const abortTransaction: Command = {
  fields: ['recoveryToken'],
  transactional: true,
  run: (ctx) => ctx.txns.abort(ctx.cmd),
};

export const listDatabases: Command = {
  fields: ['nameOnly', 'filter', 'authorizedDatabases'],
  run(ctx) {
    let dbs: Doc[] = [...ctx.store.dbs.keys()].map((name) => ({
      name,
      sizeOnDisk: 0,
      empty: false,
    }));
    const filter = optDoc(ctx, 'filter');
    if (filter) {
      const q = compileQuery(filter);
      dbs = dbs.filter((d) => q.test(d));
    }
    if (ctx.cmd.nameOnly === true) return { databases: dbs.map((d) => ({ name: d.name })), ok: 1 };
    return { databases: dbs, totalSize: 0, totalSizeMb: 0, ok: 1 };
  },
};

export const dropDatabase: Command = {
  fields: [],
  run(ctx) {
    ctx.store.dbs.delete(ctx.db);
    return { dropped: ctx.db, ok: 1 };
  },
};

export const listCollections: Command = {
  fields: ['filter', 'nameOnly', 'authorizedCollections', 'cursor'],
  transactional: true,
  run(ctx) {
    let colls: Doc[] = ctx.store.collections(ctx.db).map((c) => ({
      name: c.name,
      type: 'collection',
      options: { ...c.options },
      info: { readOnly: false },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    }));
    const filter = optDoc(ctx, 'filter');
    if (filter) {
      const q = compileQuery(filter);
      colls = colls.filter((c) => q.test(c));
    }
    if (ctx.cmd.nameOnly === true) colls = colls.map((c) => ({ name: c.name, type: c.type }));
    const cursorOpt = optDoc(ctx, 'cursor');
    const batch = cursorOpt?.batchSize === undefined ? undefined : Number(cursorOpt.batchSize);
    return { cursor: ctx.cursors.first(`${ctx.db}.$cmd.listCollections`, colls, batch), ok: 1 };
  },
};

const REFUSED_CREATE = [
  'capped',
  'size',
  'max',
  'validator',
  'validationLevel',
  'validationAction',
  'viewOn',
  'pipeline',
  'timeseries',
  'clusteredIndex',
  'expireAfterSeconds',
  'changeStreamPreAndPostImages',
  'storageEngine',
  'indexOptionDefaults',
  'encryptedFields',
];

export const create: Command = {
  fields: ['collation', 'autoIndexId', 'idIndex', ...REFUSED_CREATE],
  run(ctx) {
    const name = collName(ctx);
    const options: Doc = {};
    for (const k of Object.keys(ctx.cmd).slice(1)) {
      if (REFUSED_CREATE.includes(k) || k === 'collation') options[k] = ctx.cmd[k];
    }
    const existing = ctx.store.get(ctx.db, name);
    if (existing) {
      // mongod 7.0+ accepts re-creating a collection with identical options.
      if (canonicalKey(existing.options) === canonicalKey(options)) return { ok: 1 };
      throw new CommandError(48, `Collection ${ctx.db}.${name} already exists.`);
    }
    for (const k of REFUSED_CREATE)
      if (ctx.cmd[k] !== undefined && ctx.cmd[k] !== false) throw notSupported(`create.${k}`);
    checkCollation(ctx.cmd.collation);
    ctx.store.create(ctx.db, name).options = options;
    return { ok: 1 };
  },
};

export const drop: Command = {
  fields: [],
  run(ctx) {
    const name = collName(ctx);
    const state = ctx.store.get(ctx.db, name);
    if (!state) throw new CommandError(26, 'ns not found');
    const nIndexesWas = state.indexes.length;
    ctx.store.drop(ctx.db, name);
    return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
  },
};

export function isDocArray(v: unknown): v is Doc[] {
  return Array.isArray(v) && v.every(isDoc);
}
