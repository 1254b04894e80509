import { Cursors } from '../cursors';
import { CommandError, Doc, badValue, isDoc, notSupported } from '../errors';
import { Scope, Store } from '../store';
import { Transactions } from '../transactions';

export interface ServerInfo {
  host: string;
  port: number;
  replSet: string;
  startedAt: Date;
}

export interface Ctx {
  cmd: Doc;
  name: string;
  db: string;
  store: Store;
  scope: Scope;
  txns: Transactions;
  cursors: Cursors;
  server: ServerInfo;
  connectionId: number;
}

export interface Command {
  /** Fields beyond the generic ones that this command understands. */
  fields: string[];
  run(ctx: Ctx): Doc;
  /** Reads/writes data through the session's scope (and so may run inside a transaction). */
  scoped?: boolean;
  /** May be sent with a transaction's lsid/txnNumber without touching its scope. */
  transactional?: boolean;
}

/** Fields the driver and mongoose may send that cannot change a single in-memory node's results. */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'comment',
  'maxTimeMS',
  '$audit',
  '$client',
  'mayBypassWriteBlocking',
]);

export function checkFields(ctx: Ctx, command: Command): void {
  const allowed = new Set(command.fields);
  for (const field of Object.keys(ctx.cmd).slice(1)) {
    if (GENERIC_FIELDS.has(field) || allowed.has(field)) continue;
    throw new CommandError(40415, `BSON field '${ctx.name}.${field}' is an unknown field.`);
  }
  const rc = ctx.cmd.readConcern;
  if (isDoc(rc)) {
    if (rc.atClusterTime !== undefined) throw notSupported('readConcern.atClusterTime');
    if (
      rc.level !== undefined &&
      !['local', 'majority', 'snapshot', 'available', 'linearizable'].includes(String(rc.level))
    ) {
      throw badValue(`Invalid readConcern level '${String(rc.level)}'`);
    }
  }
  checkCollation(ctx.cmd.collation);
}

export function checkCollation(collation: unknown): void {
  if (collation === undefined) return;
  if (isDoc(collation) && collation.locale === 'simple' && Object.keys(collation).length === 1)
    return;
  throw notSupported('collation');
}

export function collName(ctx: Ctx): string {
  const v = ctx.cmd[ctx.name];
  if (typeof v !== 'string' || v.length === 0) {
    throw new CommandError(73, `collection name has invalid type ${typeof v}`);
  }
  return v;
}

export function optDoc(ctx: Ctx, field: string): Doc | undefined {
  const v = ctx.cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isDoc(v))
    throw new CommandError(
      14,
      `BSON field '${ctx.name}.${field}' is the wrong type, expected an object`,
    );
  return v;
}

export function optNumber(ctx: Ctx, field: string): number | undefined {
  const v = ctx.cmd[field];
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n))
    throw new CommandError(
      14,
      `BSON field '${ctx.name}.${field}' is the wrong type, expected a number`,
    );
  return n;
}

export function docArray(ctx: Ctx, field: string): Doc[] {
  const v = ctx.cmd[field];
  if (!Array.isArray(v) || !v.every(isDoc)) {
    throw new CommandError(
      14,
      `BSON field '${ctx.name}.${field}' is missing or not an array of objects`,
    );
  }
  return v;
}
