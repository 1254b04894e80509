import { createHash, timingSafeEqual } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Config, GatewayMethod } from '../../../config';
import { AppError } from '../../../lib/errors';
import { BUSINESS_ZONE } from '../../usage/usage.service';

export type MidtransConfig = Config['payments']['midtrans'];

/** What a payer needs to pay a charged order. */
export interface ChargeResult {
  transactionId: string | null;
  transactionStatus: string | null;
  qrString: string | null;
  qrImageUrl: string | null;
  bank: string | null;
  vaNumber: string | null;
  expiresAt: Date | null;
}

/** The gateway's own view of an order (GET /v2/{order_id}/status). */
export interface TransactionStatus {
  statusCode: string;
  orderId: string;
  transactionStatus: string;
  fraudStatus: string | null;
  grossAmount: string;
  paymentType: string | null;
}

export interface ChargeRequest {
  orderId: string;
  amount: number;
  method: GatewayMethod;
  itemName: string;
  customer: { name: string; email: string };
  notificationUrl: string;
}

const TIMEOUT_MS = 10_000;

/** Midtrans signs a notification with sha512(order_id + status_code + gross_amount + server key). */
export function notificationSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): string {
  return createHash('sha512')
    .update(`${orderId}${statusCode}${grossAmount}${serverKey}`)
    .digest('hex');
}

/** Constant-time comparison of the notification's signature_key with the expected one. */
export function isGenuineSignature(
  notification: {
    order_id: string;
    status_code: string;
    gross_amount: string;
    signature_key: string;
  },
  serverKey: string,
): boolean {
  const expected = Buffer.from(
    notificationSignature(
      notification.order_id,
      notification.status_code,
      notification.gross_amount,
      serverKey,
    ),
  );
  const given = Buffer.from(notification.signature_key.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Paid for good: settled, or a card capture the fraud check accepted. */
export function isSettled(status: { transactionStatus: string; fraudStatus?: string | null }) {
  return (
    status.transactionStatus === 'settlement' ||
    (status.transactionStatus === 'capture' && status.fraudStatus === 'accept')
  );
}

/** The order can no longer be paid. */
export function isClosedUnpaid(status: { transactionStatus: string }) {
  return ['expire', 'cancel', 'deny', 'failure'].includes(status.transactionStatus);
}

function chargeBody(request: ChargeRequest, expiryMinutes: number): Record<string, unknown> {
  const base = {
    transaction_details: { order_id: request.orderId, gross_amount: request.amount },
    item_details: [
      { id: 'karyaklik-pro', price: request.amount, quantity: 1, name: request.itemName },
    ],
    customer_details: { first_name: request.customer.name, email: request.customer.email },
    custom_expiry: { expiry_duration: expiryMinutes, unit: 'minute' },
  };
  if (request.method === 'qris') {
    return { ...base, payment_type: 'qris', qris: { acquirer: 'gopay' } };
  }
  const bank = request.method.replace(/_va$/, '');
  return { ...base, payment_type: 'bank_transfer', bank_transfer: { bank } };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Midtrans writes times as "yyyy-MM-dd HH:mm:ss" in Western Indonesian Time. */
function gatewayTime(value: unknown): Date | null {
  const raw = text(value);
  if (!raw) return null;
  const parsed = DateTime.fromFormat(raw, 'yyyy-MM-dd HH:mm:ss', { zone: BUSINESS_ZONE });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/**
 * The Midtrans Core API over fetch: charge an order, read its status, expire it. The base URL comes
 * from configuration (the sandbox, production, or a local fake in tests).
 */
export class MidtransClient {
  constructor(private readonly config: MidtransConfig) {}

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, headers = {}) {
    let response: Response;
    try {
      response = await fetch(`${this.config.apiUrl}${path}`, {
        method,
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(`${this.config.serverKey}:`).toString('base64')}`,
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw AppError.unavailable('The payment gateway cannot be reached; try again later');
    }
    const payload: unknown = await response.json().catch(() => null);
    if (!payload || typeof payload !== 'object') {
      throw AppError.unavailable('The payment gateway gave an unreadable answer');
    }
    return payload as Record<string, unknown>;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const body = await this.call(
      'POST',
      '/v2/charge',
      chargeBody(request, this.config.expiryMinutes),
      {
        'X-Override-Notification': request.notificationUrl,
      },
    );
    if (body.status_code !== '201' && body.status_code !== '200') {
      throw AppError.unavailable(
        'The payment gateway refused the charge; try again or pay by bank transfer',
      );
    }
    const actions = Array.isArray(body.actions) ? (body.actions as Record<string, unknown>[]) : [];
    const vaNumbers = Array.isArray(body.va_numbers)
      ? (body.va_numbers as Record<string, unknown>[])
      : [];
    const permata = text(body.permata_va_number);
    return {
      transactionId: text(body.transaction_id),
      transactionStatus: text(body.transaction_status),
      qrString: text(body.qr_string),
      qrImageUrl: text(actions.find((a) => a.name === 'generate-qr-code')?.url),
      bank: permata ? 'permata' : text(vaNumbers[0]?.bank),
      vaNumber: permata ?? text(vaNumbers[0]?.va_number),
      expiresAt: gatewayTime(body.expiry_time),
    };
  }

  /** The gateway's status of an order; null when it does not know the order. */
  async status(orderId: string): Promise<TransactionStatus | null> {
    const body = await this.call('GET', `/v2/${encodeURIComponent(orderId)}/status`);
    if (body.status_code === '404') return null;
    const transactionStatus = text(body.transaction_status);
    const grossAmount = text(body.gross_amount);
    if (!transactionStatus || !grossAmount || text(body.order_id) !== orderId) {
      throw AppError.unavailable('The payment gateway gave an unreadable status');
    }
    return {
      statusCode: text(body.status_code) ?? '',
      orderId,
      transactionStatus,
      fraudStatus: text(body.fraud_status),
      grossAmount,
      paymentType: text(body.payment_type),
    };
  }

  /** Stops an unpaid order from being paid (a cancelled or overdue payment). */
  async expire(orderId: string): Promise<void> {
    await this.call('POST', `/v2/${encodeURIComponent(orderId)}/expire`);
  }
}
