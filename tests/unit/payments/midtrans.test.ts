import { createHash } from 'node:crypto';
import {
  isClosedUnpaid,
  isGenuineSignature,
  isSettled,
  notificationSignature,
} from '../../../src/modules/payments/midtrans/midtrans.client';

const KEY = 'SB-Mid-server-abc';
const base = { order_id: 'KK-1', status_code: '200', gross_amount: '150000.00' };

describe('Midtrans notification signature', () => {
  it('is sha512 hex of order_id + status_code + gross_amount + server key', () => {
    const expected = createHash('sha512').update('KK-1200150000.00SB-Mid-server-abc').digest('hex');
    expect(notificationSignature('KK-1', '200', '150000.00', KEY)).toBe(expected);
  });

  it('accepts the genuine signature in either case and refuses any change', () => {
    const signature = notificationSignature('KK-1', '200', '150000.00', KEY);
    expect(isGenuineSignature({ ...base, signature_key: signature }, KEY)).toBe(true);
    expect(isGenuineSignature({ ...base, signature_key: signature.toUpperCase() }, KEY)).toBe(true);
    expect(
      isGenuineSignature({ ...base, gross_amount: '1.00', signature_key: signature }, KEY),
    ).toBe(false);
    expect(isGenuineSignature({ ...base, signature_key: signature }, 'other-key')).toBe(false);
    expect(isGenuineSignature({ ...base, signature_key: signature.slice(2) }, KEY)).toBe(false);
    expect(isGenuineSignature({ ...base, signature_key: '' }, KEY)).toBe(false);
  });
});

describe('transaction states', () => {
  it.each([
    [{ transactionStatus: 'settlement' }, true],
    [{ transactionStatus: 'capture', fraudStatus: 'accept' }, true],
    [{ transactionStatus: 'capture', fraudStatus: 'challenge' }, false],
    [{ transactionStatus: 'pending' }, false],
  ])('isSettled(%o) is %s', (status, expected) => {
    expect(isSettled(status)).toBe(expected);
  });

  it.each(['expire', 'cancel', 'deny', 'failure'])('%s closes the order unpaid', (status) => {
    expect(isClosedUnpaid({ transactionStatus: status })).toBe(true);
  });

  it('a pending order is still payable', () => {
    expect(isClosedUnpaid({ transactionStatus: 'pending' })).toBe(false);
  });
});
