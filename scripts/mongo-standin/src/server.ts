import net from 'node:net';
import * as admin from './commands/admin';
import { aggregate } from './commands/aggregate';
import { Command, Ctx, ServerInfo, checkFields } from './commands/context';
import * as crud from './commands/crud';
import * as indexes from './commands/indexes';
import * as updates from './commands/update';
import { Cursors } from './cursors';
import { CommandError, Doc, toCommandError } from './errors';
import { Store, committedScope } from './store';
import { Transactions } from './transactions';
import { startTtlMonitor } from './ttl';
import { ingest } from './values';
import { encodeReply, parseMessage, takeMessages } from './wire';

const COMMANDS: Record<string, Command> = {
  hello: admin.helloCmd,
  isMaster: admin.isMasterCmd,
  ismaster: admin.isMasterCmd,
  ping: admin.ping,
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  getParameter: admin.getParameter,
  setParameter: admin.setParameter,
  connectionStatus: admin.connectionStatus,
  endSessions: admin.endSessions,
  commitTransaction: admin.commitTransaction,
  abortTransaction: admin.abortTransaction,
  listDatabases: admin.listDatabases,
  dropDatabase: admin.dropDatabase,
  listCollections: admin.listCollections,
  create: admin.create,
  drop: admin.drop,
  collMod: indexes.collMod,
  createIndexes: indexes.createIndexes,
  listIndexes: indexes.listIndexes,
  dropIndexes: indexes.dropIndexes,
  insert: crud.insert,
  find: crud.find,
  getMore: crud.getMore,
  killCursors: crud.killCursors,
  delete: crud.deleteCmd,
  count: crud.count,
  distinct: crud.distinct,
  update: updates.update,
  findAndModify: updates.findAndModify,
  findandmodify: updates.findAndModify,
  aggregate,
};

export class StandinServer {
  readonly store = new Store();
  private readonly txns = new Transactions(this.store);
  private readonly cursors = new Cursors();
  private readonly sockets = new Set<net.Socket>();
  private readonly net = net.createServer((socket) => this.accept(socket));
  private stopTtl: () => void = () => undefined;
  private connections = 0;
  info: ServerInfo;

  constructor(host: string, replSet: string) {
    this.info = { host, port: 0, replSet, startedAt: new Date() };
  }

  listen(port: number, bindHost: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(port, bindHost, () => {
        const addr = this.net.address();
        this.info.port = typeof addr === 'object' && addr ? addr.port : port;
        this.stopTtl = startTtlMonitor(this.store);
        resolve(this.info.port);
      });
    });
  }

  close(): Promise<void> {
    this.stopTtl();
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.net.close(() => resolve()));
  }

  /** Runs one command body; always returns a reply document (errors become ok:0). */
  execute(body: Doc, connectionId = 0): Doc {
    const name = Object.keys(body)[0] ?? '';
    const command = COMMANDS[name];
    if (!command) return new CommandError(59, `no such command: '${name}'`).toReply();
    let ctx: Ctx | undefined;
    try {
      ingest(body);
      const base: Ctx = {
        cmd: body,
        name,
        db: typeof body.$db === 'string' ? body.$db : 'admin',
        store: this.store,
        scope: committedScope(this.store),
        txns: this.txns,
        cursors: this.cursors,
        server: this.info,
        connectionId,
      };
      checkFields(base, command);
      if (body.autocommit === false && !command.scoped && !command.transactional) {
        throw new CommandError(263, `Cannot run '${name}' in a multi-document transaction.`);
      }
      ctx = base;
      if (command.scoped) ctx.scope = this.txns.scopeFor(body);
      return command.run(ctx);
    } catch (err) {
      ctx?.scope.onError();
      const ce = toCommandError(err);
      if (!(err instanceof CommandError))
        process.stderr.write(`mongo-standin: ${name}: ${String(err)}\n`);
      return ce.toReply();
    }
  }

  private accept(socket: net.Socket): void {
    const connectionId = ++this.connections;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      try {
        const { messages, rest } = takeMessages(pending);
        pending = rest;
        for (const raw of messages) {
          const req = parseMessage(raw);
          const reply = this.execute(req.body, connectionId);
          if (!req.moreToCome) socket.write(encodeReply(req, reply));
        }
      } catch (err) {
        process.stderr.write(
          `mongo-standin: dropping connection ${connectionId}: ${String(err)}\n`,
        );
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
