/** The legs of a rebalance share ONE trade-updates and ONE stock-stream connection (Alpaca allows one market-data websocket). */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../src/engine/quote.js';
import type { SymbolStreams } from '../../src/live/driver/alpaca-streams.js';
import type { BrokerUpdate } from '../../src/live/driver/broker-port.js';
import { StreamFanout } from '../../src/live/rebalance/stream-fanout.js';

function fakeShared() {
  const l = { update: [] as ((u: BrokerUpdate) => void)[], quote: [] as ((s: string, q: Quote) => void)[], reconnect: [] as (() => void)[] };
  let opens = 0;
  let closes = 0;
  const streams: SymbolStreams = {
    onUpdate: (fn) => void l.update.push(fn),
    onQuote: () => undefined,
    onTrade: () => undefined,
    onSymbolQuote: (fn) => void l.quote.push(fn),
    onSymbolTrade: () => undefined,
    onReconnect: (fn) => void l.reconnect.push(fn),
    open: async () => void (opens += 1),
    close: () => void (closes += 1),
  };
  return { streams, l, opens: () => opens, closes: () => closes };
}

const q = (bid: number): Quote => ({ time: 1, bid, ask: bid + 100, bidSize: 1, askSize: 1 });
const update = (clientOrderId: string): BrokerUpdate => ({ event: 'fill', order: { clientOrderId } as BrokerUpdate['order'], fillPrice: 1 });

describe('StreamFanout', () => {
  it('opens the shared connections once for every leg, gives each leg its symbol\'s quotes and its own client ids\' updates, and closes them once', async () => {
    const shared = fakeShared();
    const fan = new StreamFanout(shared.streams);
    const seen: Record<string, string[]> = { AIG: [], IBM: [], I: [] };
    const legs = ['AIG', 'IBM', 'I'].map((s) => {
      const leg = fan.leg(s, `RB-1:${s}`);
      leg.onQuote((x) => seen[s]!.push(`q${x.bid}`));
      leg.onUpdate((u) => seen[s]!.push(`u${u.order.clientOrderId}`));
      leg.onReconnect(() => seen[s]!.push('reconnect'));
      return leg;
    });
    await Promise.all(legs.map((l) => l.open()));
    expect(shared.opens()).toBe(1);
    shared.l.quote.forEach((fn) => fn('AIG', q(100)));
    shared.l.quote.forEach((fn) => fn('IBM', q(200)));
    shared.l.update.forEach((fn) => fn(update('RB-1:IBM:1')));
    shared.l.update.forEach((fn) => fn(update('RB-1:I:2')));
    shared.l.update.forEach((fn) => fn(update('RB-2:AIG:1')));
    legs[0]!.close();
    shared.l.quote.forEach((fn) => fn('AIG', q(300)));
    shared.l.reconnect.forEach((fn) => fn());
    expect(seen).toEqual({ AIG: ['q100'], IBM: ['q200', 'uRB-1:IBM:1', 'reconnect'], I: ['uRB-1:I:2', 'reconnect'] });
    expect(shared.closes()).toBe(0);
    fan.close();
    expect(shared.closes()).toBe(1);
  });
});
