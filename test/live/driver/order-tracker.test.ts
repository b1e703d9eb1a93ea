import { describe, expect, it } from 'vitest';
import { OrderTracker } from '../../../src/live/driver/order-tracker.js';
import { priceToWire, qtyToWire } from '../../../src/live/driver/wire-format.js';

describe('OrderTracker: broker reports to faithful events', () => {
  it('counts a fill seen on the stream and again in a REST snapshot once', () => {
    const t = new OrderTracker();
    t.track('x:1');
    const fromStream = t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'partially_filled', qty: '10', filledQty: '4', filledAvgPrice: '50.00' }, 1000, { fillPrice: 500_000 });
    expect(fromStream.map((e) => e.type)).toEqual(['accepted', 'fill']);
    expect(t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'partially_filled', qty: '10', filledQty: '4', filledAvgPrice: '50.00' }, 1100)).toEqual([]);
    // Cancel-and-fill race: the cancel lands after 6 more filled; the snapshot carries the truth.
    const race = t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'canceled', qty: '10', filledQty: '10', filledAvgPrice: '50.06' }, 1200);
    expect(race).toEqual([
      { type: 'fill', time: 1200, clientOrderId: 'x:1', qty: 6e9, price: 501_000, executedAt: 1200 },
      { type: 'cancelled', time: 1200, clientOrderId: 'x:1' },
    ]);
    expect(t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'canceled', qty: '10', filledQty: '10' }, 1300)).toEqual([]);
  });

  it('reports replaced once, with the replacement quantity from the PATCH answer', () => {
    const t = new OrderTracker();
    t.track('x:1');
    t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'new', qty: '10', filledQty: '0' }, 1);
    expect(t.expectReplacement('x:1', 'x:2', 7e9, 2)).toEqual([]);
    const ev = t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'replaced', qty: '10', filledQty: '3', filledAvgPrice: '20', replacedBy: 'o2' }, 5);
    expect(ev.map((e) => e.type)).toEqual(['fill', 'replaced']);
    expect(ev[1]).toMatchObject({ newClientOrderId: 'x:2', qty: 7e9 });
    expect(t.orderIdOf('x:2')).toBe('o2');
  });

  it('a "replaced" seen on the stream before the PATCH answer is reported when the replacement is expected', () => {
    const t = new OrderTracker();
    t.track('x:1');
    t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'new', qty: '10', filledQty: '0' }, 1);
    // The stream beats the PATCH's own answer: nothing to report yet, the replacement is unknown.
    expect(t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'replaced', qty: '10', filledQty: '0', replacedBy: 'o2' }, 3)).toEqual([]);
    expect(t.expectReplacement('x:1', 'x:2', 10e9, 4)).toEqual([{ type: 'replaced', time: 4, clientOrderId: 'x:1', newClientOrderId: 'x:2', qty: 10e9 }]);
    expect(t.orderIdOf('x:2')).toBe('o2');
    // Once: later snapshots of the old order report nothing more.
    expect(t.observe({ id: 'o1', clientOrderId: 'x:1', status: 'replaced', qty: '10', filledQty: '0', replacedBy: 'o2' }, 5)).toEqual([]);
  });

  it('ignores orders that are not ours', () => {
    expect(new OrderTracker().observe({ id: 'z', clientOrderId: 'other', status: 'filled', filledQty: '1', filledAvgPrice: '1' }, 1)).toEqual([]);
  });

  it('formats wire prices and quantities exactly', () => {
    expect(priceToWire(605_300)).toBe('60.53');
    expect(priceToWire(5_123)).toBe('0.5123');
    expect(qtyToWire(1_500_000_000)).toBe('1.5');
    expect(qtyToWire(1)).toBe('0.000000001');
    expect(qtyToWire(200e9)).toBe('200');
  });
});
