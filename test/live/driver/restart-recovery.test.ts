import { ApiError } from '@alpacahq/alpaca-trade-api';
import { describe, expect, it } from 'vitest';
import { QTY_SCALE } from '../../../src/engine/units.js';
import type { BrokerOrder } from '../../../src/live/driver/order-tracker.js';
import { childIdMapping, recoverExecution, type ResumeBroker } from '../../../src/live/driver/resume.js';

function notFound(): ApiError {
  const e = Object.create(ApiError.prototype) as ApiError & { status: number };
  Object.defineProperty(e, 'status', { value: 404 });
  return e;
}

/** A fake broker: orders by client id; a cancel takes effect after `cancelLag` more lookups. */
function fakeBroker(orders: Record<string, { status: string; filledQty: string }>, cancelLag = 2) {
  const calls: string[] = [];
  const pendingCancel = new Map<string, number>();
  const broker: ResumeBroker = {
    async getOrderByClientOrderId({ clientOrderId }): Promise<BrokerOrder> {
      calls.push(`get ${clientOrderId}`);
      const o = orders[clientOrderId];
      if (o === undefined) throw notFound();
      const lag = pendingCancel.get(clientOrderId);
      if (lag !== undefined) {
        if (lag <= 0) o.status = 'canceled';
        else pendingCancel.set(clientOrderId, lag - 1);
      }
      return { id: `oid-${clientOrderId}`, clientOrderId, status: o.status, filledQty: o.filledQty };
    },
    async deleteOrderByOrderID({ orderId }) {
      calls.push(`delete ${orderId}`);
      const cid = orderId.slice(4);
      orders[cid]!.status = 'pending_cancel';
      pendingCancel.set(cid, cancelLag);
    },
  };
  return { broker, calls };
}

describe('resume: recovery through client ids', () => {
  it('cancels the working child, waits for the confirmation, counts fills, and skips a gap of refused ids', async () => {
    const { broker, calls } = fakeBroker({
      'X:1': { status: 'canceled', filledQty: '40' },
      // X:2 never existed (a refused replacement)
      'X:3': { status: 'partially_filled', filledQty: '25' },
    });
    const rec = await recoverExecution(broker, 'X', { pollMs: 1 });
    expect(rec.lastChild).toBe(3);
    expect(rec.filledQty).toBe(65 * QTY_SCALE);
    expect(rec.children.map((c) => [c.clientOrderId, c.status, c.cancelledNow])).toEqual([['X:1', 'canceled', false], ['X:3', 'canceled', true]]);
    // The cancel was sent once, and the scan stopped after three unknown ids.
    expect(calls.filter((c) => c.startsWith('delete'))).toEqual(['delete oid-X:3']);
    expect(calls.at(-1)).toBe('get X:6');
  });

  it('a fresh id: nothing known, nothing sent', async () => {
    const { broker, calls } = fakeBroker({});
    const rec = await recoverExecution(broker, 'fresh');
    expect(rec).toEqual({ children: [], filledQty: 0, lastChild: 0 });
    expect(calls).toEqual(['get fresh:1', 'get fresh:2', 'get fresh:3']);
  });

  it('gives up (without sending) when a cancel is never confirmed', async () => {
    const { broker } = fakeBroker({ 'S:1': { status: 'new', filledQty: '0' } }, 1_000_000);
    await expect(recoverExecution(broker, 'S', { pollMs: 1, cancelTimeoutMs: 30 })).rejects.toThrow(/not confirmed/);
  });

  it('maps machine child numbers past the recovered ones and back', () => {
    const ids = childIdMapping('E', 3);
    expect(ids.toBroker('E:1')).toBe('E:4');
    expect(ids.toEngine('E:4')).toBe('E:1');
    expect(ids.toBroker('other:1')).toBe('other:1');
    expect(childIdMapping('E', 0).toBroker('E:2')).toBe('E:2');
  });
});
