/**
 * The report page's own script, as text inlined into the page after uPlot. It only turns the
 * embedded section data (report-sections.ts) into charts: every number and word the page shows
 * besides the charts is rendered on the server side (report-page.ts), so the page works offline
 * and without this script. Plain ES2017 for any browser; it reads `window.uPlot` and the JSON in
 * <script id="report-data">.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var sections = JSON.parse(document.getElementById('report-data').textContent);
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  var WIDTH = 1000;
  // Legends list the series; the live readout of values under the cursor is noise in a static report.
  var LEGEND = { live: false };

  function union(lists) {
    var set = new Set();
    lists.forEach(function (l) { l.forEach(function (v) { set.add(v); }); });
    return Array.from(set).sort(function (a, b) { return a - b; });
  }
  // Values placed on the shared x axis (null where a series has no point); a repeated time keeps its last value.
  function align(xs, ts, vs) {
    var at = new Map();
    for (var i = 0; i < ts.length; i++) at.set(ts[i], vs[i]);
    return xs.map(function (x) { return at.has(x) ? at.get(x) : null; });
  }
  function mount(id) { return document.getElementById(id); }
  function circles(u, points, color) {
    var ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    points.forEach(function (p) {
      var x = u.valToPos(p.x, 'x', true);
      var y = u.valToPos(p.y, 'y', true);
      ctx.beginPath();
      ctx.arc(x, y, p.r * devicePixelRatio, 0, 2 * Math.PI);
      ctx.fillStyle = p.fill || color;
      ctx.globalAlpha = 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = '#000';
      ctx.stroke();
    });
    ctx.restore();
  }
  var stepped = uPlot.paths.stepped({ align: 1 });
  var noLine = function () { return null; };
  // Marks at the ends of an axis would be cut in half: leave 5% either side.
  var padded = function (u, min, max) { var pad = (max - min) * 0.05 || 1; return [min - pad, max + pad]; };

  function executionChart(s, id) {
    var childTimes = [];
    s.children.forEach(function (c) { if (c.limit !== null) childTimes.push(c.from, c.to); });
    var fillTimes = s.fills.map(function (f) { return f.t; });
    var xs = union([s.quotes.t, s.prints.t, childTimes, fillTimes, [0]]);
    var data = [xs, align(xs, s.quotes.t, s.quotes.bid), align(xs, s.quotes.t, s.quotes.ask), align(xs, s.prints.t, s.prints.price)];
    var series = [
      { label: 'seconds from ' + s.originLabel },
      { label: 'bid', stroke: '#2ca02c', paths: stepped, spanGaps: true, points: { show: false } },
      { label: 'ask', stroke: '#d62728', paths: stepped, spanGaps: true, points: { show: false } },
      { label: 'prints', stroke: '#555', paths: noLine, points: { show: true, size: 4, fill: '#555' } },
    ];
    if (s.arrivalMid !== null) {
      data.push(xs.map(function (x, i) { return i === 0 || i === xs.length - 1 ? s.arrivalMid : null; }));
      series.push({ label: 'arrival mid', stroke: '#000', dash: [6, 4], spanGaps: true, points: { show: false } });
    }
    s.children.forEach(function (c, i) {
      if (c.limit === null) return;
      data.push(align(xs, [c.from, c.to], [c.limit, c.limit]));
      series.push({ label: c.id + ' (' + c.status + ')', stroke: COLORS[(i + 3) % COLORS.length], width: 2, paths: stepped, spanGaps: true, points: { show: true, size: 5 } });
    });
    // Fills take part in the y range through a series of their own, drawn as sized circles below.
    data.push(align(xs, fillTimes, s.fills.map(function (f) { return f.price; })));
    series.push({ label: 'fills', stroke: '#ff7f0e', paths: noLine, points: { show: false } });
    var maxShares = s.fills.reduce(function (m, f) { return Math.max(m, f.shares); }, 0) || 1;
    var marks = s.fills.map(function (f) { return { x: f.t, y: f.price, r: 3 + 9 * Math.sqrt(f.shares / maxShares) }; });
    new uPlot({ legend: LEGEND,
      width: WIDTH, height: 420, title: 'NBBO, prints, child limits and fills (circle area ∝ shares)',
      scales: { x: { time: false } },
      axes: [{ label: 'seconds from the decision (' + s.originLabel + ')' }, { label: 'price $', size: 70 }],
      bands: [{ series: [2, 1], fill: 'rgba(120, 120, 120, 0.15)' }],
      series: series,
      hooks: { draw: [function (u) { circles(u, marks, '#ff7f0e'); }] },
    }, data, mount(id));
  }

  function curvesChart(q, curves, strategies, title, yLabel, id) {
    var xs = q.map(function (p) { return p * 100; });
    var data = [xs];
    var series = [{ label: 'percentile' }];
    curves.forEach(function (c, i) {
      data.push(c.values);
      var color = COLORS[Math.max(0, strategies.indexOf(c.strategy)) % COLORS.length];
      series.push({ label: c.label, stroke: color, width: 2, points: { show: false } });
    });
    new uPlot({ legend: LEGEND, width: WIDTH, height: 320, title: title, scales: { x: { time: false } }, axes: [{ label: 'percentile of orders' }, { label: yLabel, size: 60 }], series: series }, data, mount(id));
  }

  function frontierChart(marks, title, id) {
    var roles = ['frontier', 'winner', 'default', 'baseline'];
    var groups = [];
    roles.forEach(function (role) {
      if (role === 'baseline') marks.filter(function (m) { return m.role === role; }).forEach(function (m) { groups.push({ label: m.label, role: role, marks: [m] }); });
      else {
        var ms = marks.filter(function (m) { return m.role === role; });
        if (ms.length > 0) groups.push({ label: role === 'frontier' ? 'frontier (train)' : ms[0].label, role: role, marks: ms });
      }
    });
    var xs = union(groups.map(function (g) { return g.marks.map(function (m) { return m.p95Seconds; }); }));
    var data = [xs];
    var series = [{ label: 'p95 seconds' }];
    groups.forEach(function (g, i) {
      var sorted = g.marks.slice().sort(function (a, b) { return a.p95Seconds - b.p95Seconds; });
      data.push(align(xs, sorted.map(function (m) { return m.p95Seconds; }), sorted.map(function (m) { return m.meanCostBps; })));
      var line = g.role === 'frontier';
      series.push({ label: g.label, stroke: COLORS[i % COLORS.length], width: line ? 2 : 0, spanGaps: line, paths: line ? undefined : noLine, points: { show: true, size: g.role === 'winner' ? 14 : 9, fill: COLORS[i % COLORS.length] } });
    });
    new uPlot({ legend: LEGEND, width: WIDTH, height: 380, title: title, scales: { x: { time: false, range: padded } }, axes: [{ label: 'p95 time to complete, s (train)' }, { label: 'mean cost bps (train)', size: 60 }], series: series }, data, mount(id));
  }

  function rebalanceChart(s, id) {
    var times = [];
    s.orders.forEach(function (o) { times.push(o.from, o.to); o.fills.forEach(function (f) { times.push(f.t); }); });
    var xs = union([times, [0]]);
    var data = [xs];
    var series = [{ label: 'seconds from ' + s.originLabel }];
    var marks = [];
    var maxShares = 1;
    s.orders.forEach(function (o) { o.fills.forEach(function (f) { maxShares = Math.max(maxShares, f.shares); }); });
    s.orders.forEach(function (o, i) {
      var row = s.orders.length - i;
      data.push(align(xs, [o.from, o.to], [row, row]));
      series.push({ label: o.label, stroke: COLORS[i % COLORS.length], width: 6, spanGaps: true, points: { show: false } });
      o.fills.forEach(function (f) { marks.push({ x: f.t, y: row, r: 3 + 8 * Math.sqrt(f.shares / maxShares), fill: COLORS[i % COLORS.length] }); });
    });
    new uPlot({ legend: LEGEND,
      width: WIDTH, height: 120 + 40 * s.orders.length, title: 'orders on one time axis (circles: fills, area ∝ shares)',
      scales: { x: { time: false }, y: { range: [0, s.orders.length + 1] } },
      axes: [{ label: 'seconds from ' + s.originLabel }, { label: 'order', size: 50, values: function (u, ticks) { return ticks.map(function (t) { var o = s.orders[s.orders.length - t]; return o && Number.isInteger(t) ? o.label.split(' ')[0] : ''; }); } }],
      series: series,
      hooks: { draw: [function (u) { circles(u, marks, '#000'); }] },
    }, data, mount(id));
  }

  sections.forEach(function (s, i) {
    var id = 'chart-' + i;
    if (s.kind === 'execution') executionChart(s, id);
    else if (s.kind === 'run') s.models.forEach(function (m, j) {
      curvesChart(s.q, m.costs, s.strategies, 'whole-order cost by percentile, liquidity ' + m.liquidity, 'cost bps', id + '-' + j + '-cost');
      if (m.vsMarket.length > 0) curvesChart(s.q, m.vsMarket, s.strategies, 'paired difference against market, liquidity ' + m.liquidity + ' (below 0: cheaper than market)', 'bps', id + '-' + j + '-paired');
    });
    else if (s.kind === 'sweep') s.models.forEach(function (m, j) { frontierChart(m.marks, 'cost/time frontier, liquidity ' + m.liquidity, id + '-' + j); });
    else if (s.kind === 'rebalance') rebalanceChart(s, id);
  });
  document.body.setAttribute('data-charts-drawn', String(document.querySelectorAll('canvas').length));
})();
`;
