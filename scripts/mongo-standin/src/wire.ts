import { BSON } from 'bson';
import { CommandError, Doc } from './errors';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

export interface Request {
  requestId: number;
  opCode: number;
  body: Doc;
  /** The client expects no reply (flag bit 1). */
  moreToCome: boolean;
}

/** Splits complete messages off the front of `buffer`; returns them and the unconsumed rest. */
export function takeMessages(buffer: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= 16) {
    const length = buffer.readInt32LE(offset);
    if (length < 16 || length > 64 * 1024 * 1024)
      throw new Error(`invalid message length ${length}`);
    if (buffer.length - offset < length) break;
    messages.push(buffer.subarray(offset, offset + length));
    offset += length;
  }
  return { messages, rest: buffer.subarray(offset) };
}

function readCString(buf: Buffer, offset: number): { value: string; next: number } {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new Error('unterminated cstring');
  return { value: buf.toString('utf8', offset, end), next: end + 1 };
}

function readDoc(buf: Buffer, offset: number): { doc: Doc; next: number } {
  const size = buf.readInt32LE(offset);
  return { doc: BSON.deserialize(buf.subarray(offset, offset + size)) as Doc, next: offset + size };
}

export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    const end = msg.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
    let offset = 20;
    let body: Doc | undefined;
    const sequences: Array<[string, Doc[]]> = [];
    while (offset < end) {
      const kind = msg[offset++];
      if (kind === 0) {
        const r = readDoc(msg, offset);
        body = r.doc;
        offset = r.next;
      } else if (kind === 1) {
        const sectionEnd = offset + msg.readInt32LE(offset);
        const id = readCString(msg, offset + 4);
        const docs: Doc[] = [];
        offset = id.next;
        while (offset < sectionEnd) {
          const r = readDoc(msg, offset);
          docs.push(r.doc);
          offset = r.next;
        }
        sequences.push([id.value, docs]);
      } else {
        throw new CommandError(2, `unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!body) throw new CommandError(2, 'OP_MSG without a body section');
    for (const [id, docs] of sequences) body[id] = docs;
    return { requestId, opCode, body, moreToCome: (flags & MORE_TO_COME) !== 0 };
  }
  if (opCode === OP_QUERY) {
    const ns = readCString(msg, 20);
    const { doc } = readDoc(msg, ns.next + 8);
    const query = '$query' in doc && typeof doc.$query === 'object' ? (doc.$query as Doc) : doc;
    if (!ns.value.endsWith('.$cmd'))
      throw new CommandError(115, 'legacy OP_QUERY is only supported for commands');
    return { requestId, opCode, body: { ...query, $db: ns.value.slice(0, -5) }, moreToCome: false };
  }
  throw new CommandError(115, `opCode ${opCode} is not supported by the mongo stand-in`);
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeReply(req: Request, reply: Doc): Buffer {
  const body = Buffer.from(BSON.serialize(reply));
  if (req.opCode === OP_QUERY) {
    const fields = Buffer.alloc(20);
    fields.writeInt32LE(0, 0);
    fields.writeBigInt64LE(0n, 4);
    fields.writeInt32LE(0, 12);
    fields.writeInt32LE(1, 16);
    return Buffer.concat([header(16 + 20 + body.length, req.requestId, OP_REPLY), fields, body]);
  }
  const fields = Buffer.from([0, 0, 0, 0, 0]);
  return Buffer.concat([header(16 + 5 + body.length, req.requestId, OP_MSG), fields, body]);
}
