export type Doc = Record<string, unknown>;

const CODE_NAMES: Record<number, string> = {
  2: 'BadValue',
  8: 'UnknownError',
  9: 'FailedToParse',
  14: 'TypeMismatch',
  20: 'IllegalOperation',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  112: 'WriteConflict',
  115: 'CommandNotSupported',
  251: 'NoSuchTransaction',
  256: 'TransactionCommitted',
  263: 'OperationNotSupportedInTransaction',
  11000: 'DuplicateKey',
  40415: 'Location40415',
};

/** An error that becomes a `{ok:0, code, codeName, errmsg}` reply (or a writeErrors entry). */
export class CommandError extends Error {
  readonly codeName: string;
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Doc = {},
    readonly labels: string[] = [],
  ) {
    super(message);
    this.codeName = CODE_NAMES[code] ?? 'UnknownError';
  }

  toReply(): Doc {
    const reply: Doc = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName };
    Object.assign(reply, this.extra);
    if (this.labels.length > 0) reply.errorLabels = this.labels;
    return reply;
  }

  toWriteError(index: number): Doc {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

export const badValue = (msg: string): CommandError => new CommandError(2, msg);
export const notSupported = (msg: string): CommandError =>
  new CommandError(115, `${msg} (not supported by the mongo stand-in)`);

export const transientError = (code: number, msg: string): CommandError =>
  new CommandError(code, msg, {}, ['TransientTransactionError']);

/** Anything thrown by mingo or by our own code, mapped to a MongoDB error. */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/would create a conflict/i.test(msg)) return new CommandError(40, msg);
  if (/_id/.test(msg) && /immutable|cannot|modify/i.test(msg)) return new CommandError(66, msg);
  if (/unknown .*operator|not registered|unknown top level|unrecognized/i.test(msg)) {
    return new CommandError(2, msg);
  }
  return new CommandError(2, msg);
}

export function isDoc(v: unknown): v is Doc {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype
  );
}
