import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';

export interface FakeOrder {
  transaction_status: string;
  gross_amount: string;
  payment_type: string;
  fraud_status?: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | null;
}

/**
 * A local stand-in for the Midtrans Core API (charge, status, expire), so tests never reach the
 * internet. Orders live in memory; a test moves them with `setStatus` and builds notifications
 * signed like the gateway's with `notification`.
 */
export class FakeMidtrans {
  readonly orders = new Map<string, FakeOrder>();
  readonly calls: RecordedCall[] = [];
  /** When set, /v2/charge answers with this status_code (a refused or failed charge). */
  failCharges: string | null = null;
  url = '';
  private server: Server | undefined;

  constructor(readonly serverKey: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
        const path = req.url ?? '';
        this.calls.push({ method: req.method ?? '', path, headers: req.headers, body });
        const answer = (payload: Record<string, unknown>) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        const expected = `Basic ${Buffer.from(`${this.serverKey}:`).toString('base64')}`;
        if (req.headers.authorization !== expected) {
          answer({ status_code: '401', status_message: 'Unknown merchant server_key/id' });
          return;
        }
        if (req.method === 'POST' && path === '/v2/charge' && body) {
          answer(this.charge(body));
          return;
        }
        const match = /^\/v2\/([^/]+)\/(status|expire)$/.exec(path);
        const orderId = match ? decodeURIComponent(match[1] ?? '') : '';
        const order = this.orders.get(orderId);
        if (!match || !order) {
          answer({ status_code: '404', status_message: "Transaction doesn't exist." });
          return;
        }
        if (match[2] === 'expire') order.transaction_status = 'expire';
        answer({
          status_code: match[2] === 'expire' ? '407' : '200',
          order_id: orderId,
          ...order,
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private charge(body: Record<string, unknown>): Record<string, unknown> {
    if (this.failCharges) return { status_code: this.failCharges, status_message: 'Failed' };
    const details = body.transaction_details as { order_id: string; gross_amount: number };
    const paymentType = String(body.payment_type);
    const grossAmount = `${details.gross_amount}.00`;
    this.orders.set(details.order_id, {
      transaction_status: 'pending',
      gross_amount: grossAmount,
      payment_type: paymentType,
    });
    const expiry = DateTime.now()
      .setZone('Asia/Jakarta')
      .plus({ minutes: 60 })
      .toFormat('yyyy-MM-dd HH:mm:ss');
    const common = {
      status_code: '201',
      transaction_id: `tx-${details.order_id}`,
      order_id: details.order_id,
      gross_amount: grossAmount,
      payment_type: paymentType,
      transaction_status: 'pending',
      expiry_time: expiry,
    };
    if (paymentType === 'qris') {
      return {
        ...common,
        qr_string: `00020101021226QRIS-${details.order_id}`,
        actions: [
          { name: 'generate-qr-code', method: 'GET', url: `${this.url}/qr/${details.order_id}` },
        ],
      };
    }
    const bank = (body.bank_transfer as { bank: string }).bank;
    if (bank === 'permata') return { ...common, permata_va_number: '8562000011112222' };
    return {
      ...common,
      va_numbers: [{ bank, va_number: `${bank === 'bca' ? '12345' : '98765'}678901` }],
    };
  }

  setStatus(orderId: string, transactionStatus: string, grossAmount?: string): void {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`fake Midtrans: no order ${orderId}`);
    order.transaction_status = transactionStatus;
    if (grossAmount) order.gross_amount = grossAmount;
  }

  /** A notification as the gateway sends it, signed with the server key unless told otherwise. */
  notification(
    orderId: string,
    overrides: Partial<Record<'transaction_status' | 'gross_amount' | 'status_code', string>> = {},
    signWith: { key?: string; grossAmount?: string } = {},
  ): Record<string, string> {
    const order = this.orders.get(orderId);
    const statusCode = overrides.status_code ?? '200';
    const grossAmount = overrides.gross_amount ?? order?.gross_amount ?? '0.00';
    const signature = createHash('sha512')
      .update(
        `${orderId}${statusCode}${signWith.grossAmount ?? grossAmount}${signWith.key ?? this.serverKey}`,
      )
      .digest('hex');
    return {
      transaction_time: '2026-01-01 10:00:00',
      transaction_status: overrides.transaction_status ?? order?.transaction_status ?? 'pending',
      transaction_id: `tx-${orderId}`,
      status_message: 'midtrans payment notification',
      status_code: statusCode,
      signature_key: signature,
      payment_type: order?.payment_type ?? 'qris',
      order_id: orderId,
      merchant_id: 'G000000000',
      gross_amount: grossAmount,
      fraud_status: 'accept',
      currency: 'IDR',
    };
  }
}
