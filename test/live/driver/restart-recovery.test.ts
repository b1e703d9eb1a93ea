import { describe, expect, it } from 'vitest';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { DEFAULT_GATEWAY_TIMINGS } from '../../../src/live/driver/broker-gateway.js';
import { BrokerCallError, type BrokerPort, type WallClock } from '../../../src/live/driver/broker-port.js';
import type { BrokerOrder } from '../../../src/live/driver/order-tracker.js';
import { checkRecovered, childIdMapping, RecoveryError, scanChildren, settleChildren } from '../../../src/live/driver/resume.js';

/**
 * Virtual wall time: a sleep advances it by exactly what was asked (then yields to the event
 * loop), so the deadlines count lookups, not the machine's load (a real 60 ms deadline ran out
 * on a loaded machine before a cancel two lookups away was confirmed).
 */
function virtualClock(): WallClock {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

const fast = { ...DEFAULT_GATEWAY_TIMINGS, backoffMs: 1, maxBackoffMs: 2, suspectDeadlineMs: 30, confirmDeadlineMs: 60 };

/**
 * A broker of orders by client id; a cancel takes effect after `cancelLag` more lookups; ids in
 * `hiddenFor` miss that many lookups first (a lagging read); ids in `failing` always error.
 */
function fakeBroker(orders: Record<string, { status: string; filledQty: string; qty?: string; side?: string; symbol?: string }>, o: { cancelLag?: number; hiddenFor?: Record<string, number>; failing?: string[] } = {}) {
  const calls: string[] = [];
  const pendingCancel = new Map<string, number>();
  const hidden = new Map(Object.entries(o.hiddenFor ?? {}));
  const broker: BrokerPort = {
    async lookup(clientOrderId): Promise<BrokerOrder> {
      calls.push(`get ${clientOrderId}`);
      if (o.failing?.includes(clientOrderId)) throw new BrokerCallError('ambiguous', 503, 'unavailable');
      const order = orders[clientOrderId];
      const h = hidden.get(clientOrderId) ?? 0;
      if (h > 0) hidden.set(clientOrderId, h - 1);
      if (order === undefined || h > 0) throw new BrokerCallError('not-found', 404, 'order not found');
      const lag = pendingCancel.get(clientOrderId);
      if (lag !== undefined) {
        if (lag <= 0) order.status = 'canceled';
        else pendingCancel.set(clientOrderId, lag - 1);
      }
      return { id: `oid-${clientOrderId}`, clientOrderId, status: order.status, filledQty: order.filledQty, qty: order.qty ?? '100', side: order.side ?? 'buy', symbol: order.symbol ?? 'TQQQ', type: 'limit', filledAvgPrice: '60.00' };
    },
    async cancel(orderId) {
      calls.push(`delete ${orderId}`);
      const cid = orderId.slice(4);
      orders[cid]!.status = 'pending_cancel';
      pendingCancel.set(cid, o.cancelLag ?? 2);
    },
    submit: () => Promise.reject(new Error('recovery must not submit')),
    replace: () => Promise.reject(new Error('recovery must not replace')),
    latestQuote: async () => null,
  };
  return { broker, calls };
}

describe('resume: recovery through client ids', () => {
  it('cancels the working child, waits for the confirmation, counts fills, and skips a gap of refused ids', async () => {
    const { broker, calls } = fakeBroker({
      'X:1': { status: 'canceled', filledQty: '40' },
      // X:2 never existed (a refused replacement)
      'X:3': { status: 'partially_filled', filledQty: '25', qty: '60' },
    });
    const found = await scanChildren(broker, virtualClock(), 'X', 0, fast);
    expect([...found.keys()]).toEqual([1, 3]);
    expect(calls.filter((c) => c.startsWith('get')).at(-1)).toBe('get X:6'); // three unknown ids after the last
    const { recovery, unconfirmed } = await settleChildren(broker, virtualClock(), 'X', found, fast);
    expect(unconfirmed).toEqual([]);
    expect(recovery.lastChild).toBe(3);
    expect(recovery.filledQty).toBe(65 * QTY_SCALE);
    expect(recovery.children.map((c) => [c.clientOrderId, c.status, c.cancelledNow])).toEqual([['X:1', 'canceled', false], ['X:3', 'canceled', true]]);
    // Only the working child is cancelled (the sweep may re-send its idempotent cancel while the confirmation is slow).
    expect([...new Set(calls.filter((c) => c.startsWith('delete')))]).toEqual(['delete oid-X:3']);
  });

  it('a fresh id: nothing known, nothing sent', async () => {
    const { broker, calls } = fakeBroker({});
    expect((await scanChildren(broker, virtualClock(), 'fresh', 0, fast)).size).toBe(0);
    expect(calls).toEqual(['get fresh:1', 'get fresh:2', 'get fresh:3']);
  });

  it('a child the record says was sent is looked up until it shows (a miss is not proof)', async () => {
    const { broker } = fakeBroker({ 'L:1': { status: 'new', filledQty: '0' } }, { hiddenFor: { 'L:1': 5 } });
    // Without the record's word, one miss would end the scan before L:1...
    expect((await scanChildren(broker, virtualClock(), 'L', 0, { ...fast, suspectDeadlineMs: 0 })).has(1)).toBe(false);
    // ...with it (last_child = 1), L:1 is found after its lookups missed.
    const { broker: again } = fakeBroker({ 'L:1': { status: 'new', filledQty: '0' } }, { hiddenFor: { 'L:1': 5 } });
    expect((await scanChildren(again, virtualClock(), 'L', 1, { ...fast, suspectDeadlineMs: 2_000 })).has(1)).toBe(true);
  });

  it('stops (having sent nothing) when a child cannot be looked up at all', async () => {
    const { broker, calls } = fakeBroker({}, { failing: ['F:1'] });
    await expect(scanChildren(broker, virtualClock(), 'F', 0, fast)).rejects.toThrow(RecoveryError);
    expect(calls.every((c) => c.startsWith('get'))).toBe(true);
  });

  it('names a cancel it could not confirm instead of resuming', async () => {
    const { broker } = fakeBroker({ 'S:1': { status: 'new', filledQty: '0' } }, { cancelLag: 1_000_000 });
    const found = await scanChildren(broker, virtualClock(), 'S', 0, fast);
    const { unconfirmed } = await settleChildren(broker, virtualClock(), 'S', found, fast);
    expect(unconfirmed).toEqual([{ clientOrderId: 'S:1', orderId: 'oid-S:1', status: 'pending_cancel' }]);
  });

  it('refuses orders that are not this command: another side, symbol, or a first child of another quantity', () => {
    const order = (side: string, symbol: string, qty: string): BrokerOrder => ({ clientOrderId: 'R:1', side, symbol, qty, filledQty: '0', status: 'canceled' });
    const want = { executionId: 'R', symbol: 'TQQQ', side: 'sell' as const, qty: 100 * QTY_SCALE };
    expect(checkRecovered(new Map([[1, order('buy', 'TQQQ', '100')]]), want)).toBe('order R:1 at the broker is a buy of 100 TQQQ; this command is a sell of 100 TQQQ');
    expect(checkRecovered(new Map([[1, order('sell', 'SOXL', '100')]]), want)).toMatch(/is a sell of 100 SOXL/);
    expect(checkRecovered(new Map([[1, order('sell', 'TQQQ', '50')]]), want)).toMatch(/is a sell of 50 TQQQ/);
    expect(checkRecovered(new Map([[1, order('sell', 'TQQQ', '100')], [2, order('sell', 'TQQQ', '40')]]), want)).toBeNull();
  });

  it('maps machine child numbers past the recovered ones and back', () => {
    const ids = childIdMapping('E', 3);
    expect(ids.toBroker('E:1')).toBe('E:4');
    expect(ids.toEngine('E:4')).toBe('E:1');
    expect(ids.toBroker('other:1')).toBe('other:1');
    expect(childIdMapping('E', 0).toBroker('E:2')).toBe('E:2');
  });
});
