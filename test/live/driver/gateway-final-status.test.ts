/**
 * A final status is sticky in the broker gateway: an older answer observed after it (a lookup
 * that left before the fill came on the stream) must not make a filled order look as if it still
 * worked, or the end-of-execution sweep names a filled order as possibly working (exit 5). Found
 * by the live rebalance's end-to-end test under the full suite's load.
 */
import { describe, expect, it } from 'vitest';
import { BrokerGateway } from '../../../src/live/driver/broker-gateway.js';
import { REAL_WALL_CLOCK, type BrokerPort } from '../../../src/live/driver/broker-port.js';
import { OrderTracker } from '../../../src/live/driver/order-tracker.js';

const port: BrokerPort = {
  submit: () => Promise.reject(new Error('not used')),
  lookup: () => Promise.reject(new Error('not used')),
  cancel: () => Promise.reject(new Error('not used')),
  replace: () => Promise.reject(new Error('not used')),
  latestQuote: () => Promise.resolve(null),
};

describe('BrokerGateway', () => {
  it('keeps an order final once the broker said so, whatever older answer comes after', () => {
    const g = new BrokerGateway(port, new OrderTracker(), REAL_WALL_CLOCK, () => 0, { symbol: 'AIG', side: 'buy' });
    const base = { id: 'o1', clientOrderId: 'RB:AIG:1', qty: '10', filledAvgPrice: null };
    g.adopt({ ...base, status: 'pending_cancel', filledQty: '0' });
    expect(g.openIds()).toEqual(['RB:AIG:1']);
    g.observeUpdate({ event: 'fill', order: { ...base, status: 'filled', filledQty: '10', filledAvgPrice: '49' }, fillPrice: 490_000 });
    expect(g.openIds()).toEqual([]);
    // The stale answer of a lookup sent before the fill.
    g.observeUpdate({ event: 'pending_cancel', order: { ...base, status: 'pending_cancel', filledQty: '0' }, fillPrice: null });
    expect(g.openIds()).toEqual([]);
    expect(g.possiblyWorking()).toEqual([]);
  });
});
