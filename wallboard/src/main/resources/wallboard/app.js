// The revstream wallboard: one EventSource to the server, which sends the whole picture first,
// then every KPI window, alert and journey change as it is committed. No external assets.
(function () {
  'use strict';
  var state = { series: {}, forecasts: {}, alerts: [], alertTotals: null, changes: [], lastRecordAt: 0, dataTime: 0, liveWithinMs: 300000,
                currency: 'USD', zone: 'UTC' };
  var lastBeat = 0;
  var connected = false;
  var STALE_AFTER_MS = 10000; // no heartbeat for this long: the stream is stale

  // better: which way of a change is good news (a longer sales cycle is not); rate: changes in percentage points
  var TILES = [
    { key: 'openPipelineAmount', label: 'Open pipeline', fmt: money, revenue: false, better: 'up' },
    { key: 'pipelineVelocityPerDay', label: 'Pipeline velocity / day', fmt: money, revenue: false, better: 'up' },
    { key: 'winRate', label: 'Win rate', fmt: pct, revenue: false, better: 'up', rate: true },
    { key: 'avgSalesCycleDays', label: 'Sales cycle', fmt: days, revenue: false, better: 'down' },
    { key: 'arr', label: 'ARR', fmt: money, revenue: true, better: 'up' },
    { key: 'netNewArr', label: 'Net new ARR', fmt: money, revenue: true, better: 'up' },
    { key: 'netRevenueRetention', label: 'NRR', fmt: pct, revenue: true, better: 'up', rate: true }
  ];
  // a channel's rows carry attribution, not deals: its own tiles
  var CHANNEL_TILES = [
    { key: 'attributedRevenue.W_SHAPED', label: 'Attributed revenue (W-shaped)', fmt: money, better: 'up' },
    { key: 'attributedRevenue.FIRST_TOUCH', label: 'First-touch revenue', fmt: money, better: 'up' },
    { key: 'attributedRevenue.LAST_TOUCH', label: 'Last-touch revenue', fmt: money, better: 'up' },
    { key: 'spend', label: 'Spend', fmt: money, better: null },
    { key: 'roi', label: 'ROI (W-shaped / spend)', fmt: times, better: 'up' }
  ];
  var FUNNEL = [['newLeads', 'Leads'], ['newMqls', 'MQLs'], ['newSqls', 'SQLs'], ['newOpportunities', 'Opportunities'], ['newCustomers', 'Customers']];
  var SEVERITY = { critical: 0, warning: 1, info: 2 };

  function num(v) { return v === null || v === undefined || v === '' || isNaN(Number(v)) ? null : Number(v); }
  // amounts in the reporting currency; millions and billions short, so that a tile never overflows
  function symbol() {
    try {
      var parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: state.currency }).formatToParts(0);
      for (var i = 0; i < parts.length; i++) if (parts[i].type === 'currency') return parts[i].value;
    } catch (e) { /* an unknown code: show it as it is */ }
    return state.currency + ' ';
  }
  function short(x, digits) { var f = Math.pow(10, digits); return String(Math.round(x * f) / f); }
  function money(v) {
    if (v === null) return '—';
    var a = Math.abs(v), s = v < 0 ? '−' : '';
    if (a >= 1e9) return s + symbol() + short(a / 1e9, 2) + 'B';
    if (a >= 1e6) return s + symbol() + short(a / 1e6, 2) + 'M';
    if (a >= 1e4) return s + symbol() + short(a / 1e3, 1) + 'K';
    return s + symbol() + Math.round(a).toLocaleString('en-US');
  }
  function pct(v) { return v === null ? '—' : (v * 100).toFixed(1) + ' %'; }
  function pp(v) { return v === null ? '—' : (v * 100).toFixed(1) + ' pp'; }
  function days(v) { return v === null ? '—' : v.toFixed(1) + ' d'; }
  function times(v) { return v === null ? '—' : v.toFixed(2) + '×'; }
  // times as people read them: how long ago, and the time in the configured zone
  function when(iso) {
    var t = Date.parse(iso);
    if (!t) return iso;
    var local;
    try {
      local = new Intl.DateTimeFormat('en-GB', { timeZone: state.zone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(t));
    } catch (e) { local = iso; }
    var ago = Date.now() - t;
    return (ago >= 0 ? age(ago) + ' ago' : 'in ' + age(-ago)) + ' · ' + local;
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }

  function seriesKey() { return document.getElementById('window').value + '|' + document.getElementById('dimension').value; }
  function windows() { return state.series[seriesKey()] || []; }

  function refreshFilters() {
    var sizes = {}, dims = {};
    Object.keys(state.series).forEach(function (k) {
      var p = k.split('|');
      sizes[p[0]] = true;
      dims[p[1] + '|' + p[2]] = true;
    });
    fill('window', Object.keys(sizes).sort(), function (s) { return s; });
    var dimList = Object.keys(dims).sort(function (a, b) { return a === 'all|all' ? -1 : b === 'all|all' ? 1 : a.localeCompare(b); });
    fill('dimension', dimList, function (d) {
      var p = d.split('|');
      return p[0] === 'all' ? 'Whole company' : p[0].charAt(0).toUpperCase() + p[0].slice(1) + ': ' + p[1];
    });
  }

  function fill(id, values, label) {
    var select = document.getElementById(id);
    var current = select.value;
    var existing = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (existing.join() === values.join()) return;
    select.innerHTML = '';
    values.forEach(function (v) { var o = el('option', null, label(v)); o.value = v; select.appendChild(o); });
    if (values.indexOf(current) >= 0) select.value = current;
    else if (id === 'dimension' && values.indexOf('all|all') >= 0) select.value = 'all|all';
    else if (id === 'window' && values.indexOf('1d') >= 0) select.value = '1d';
  }

  function render() {
    refreshFilters();
    var ws = windows();
    var latest = ws.length ? ws[ws.length - 1] : null;
    var previous = ws.length > 1 ? ws[ws.length - 2] : null;
    var dim = document.getElementById('dimension').value;
    var byRegion = dim.indexOf('region|') === 0;
    var byChannel = dim.indexOf('channel|') === 0;
    var tiles = document.getElementById('tiles');
    tiles.innerHTML = '';
    (byChannel ? CHANNEL_TILES : TILES).forEach(function (t) {
      var tile = el('div', 'tile');
      tile.dataset.metric = t.key;
      tile.appendChild(el('div', 'label', t.label));
      if (t.revenue && byRegion) {
        tile.classList.add('na');
        tile.appendChild(el('div', 'value', 'n/a by region'));
        tile.appendChild(el('div', 'delta', 'ARR has no region'));
      } else {
        var v = latest ? num(latest[t.key]) : null;
        var p = previous ? num(previous[t.key]) : null;
        tile.appendChild(el('div', 'value', t.fmt(v)));
        var d = el('div', 'delta');
        if (v !== null && p !== null) {
          var diff = v - p;
          d.textContent = (diff > 0 ? '▲ ' : diff < 0 ? '▼ ' : '= ') + (t.rate ? pp : t.fmt)(Math.abs(diff)) + ' vs previous window';
          // coloured by what the change means, not by its direction
          if (diff !== 0 && t.better) d.classList.add((diff > 0) === (t.better === 'up') ? 'good' : 'bad');
        } else {
          d.textContent = latest ? 'no previous window' : 'no closed window yet';
        }
        tile.appendChild(d);
      }
      tiles.appendChild(tile);
    });
    renderFunnel(latest);
    renderTrend(ws);
    renderAlerts();
    renderStages(latest);
    renderMovement(latest);
    renderForecast();
    renderLeaders();
    renderChannels();
  }

  // ---- the lower panels: the pipeline a sales leader opens first ----

  /** Horizontal bars: rows of [label, value, text], scaled to the largest. */
  function bars(box, rows, cls) {
    var max = Math.max.apply(null, rows.map(function (r) { return Math.abs(r[1]); }).concat([1]));
    rows.forEach(function (r) {
      var row = el('div', 'bar-row' + (cls ? ' ' + cls : ''));
      row.dataset.name = r[0];
      row.appendChild(el('div', 'name', r[0]));
      var bar = el('div', 'bar' + (r[3] ? ' ' + r[3] : '')); bar.style.width = (100 * Math.abs(r[1]) / max) + '%';
      var track = el('div', 'track'); track.appendChild(bar); row.appendChild(track);
      row.appendChild(el('div', 'rate', r[2]));
      box.appendChild(row);
    });
  }

  function renderStages(k) {
    var box = document.getElementById('stages');
    box.innerHTML = '';
    var names = k ? Object.keys(k).filter(function (n) { return n.indexOf('pipelineByStage.') === 0 && /\.amount$/.test(n); }) : [];
    if (!names.length) { box.appendChild(el('div', 'empty', 'no pipeline by stage in this window')); return; }
    bars(box, names.map(function (n) {
      var stage = n.substring('pipelineByStage.'.length, n.length - '.amount'.length);
      var deals = num(k['pipelineByStage.' + stage + '.deals']) || 0;
      return [stage, num(k[n]) || 0, money(num(k[n])) + ' · ' + deals];
    }));
  }

  var FLOWS = [['openAtStart', 'Open at start', 0], ['created', 'Created', 1], ['pulledIn', 'Pulled in', 1], ['movedIn', 'Moved in', 1],
    ['increased', 'Increased', 1], ['pushedOut', 'Pushed out', -1], ['decreased', 'Decreased', -1], ['won', 'Won', -1],
    ['lost', 'Lost', -1], ['movedOut', 'Moved out', -1], ['openAtEnd', 'Open at end', 0]];

  /** The window's pipeline movement: what came in and went out of the deals due to close in it. */
  function renderMovement(k) {
    var box = document.getElementById('movement');
    box.innerHTML = '';
    if (!k || k['pipelineMovement.openAtStart.amount'] === undefined) {
      box.appendChild(el('div', 'empty', 'no movement for this window size (hourly windows have none)'));
      return;
    }
    bars(box, FLOWS.map(function (f) {
      var v = num(k['pipelineMovement.' + f[0] + '.amount']) || 0;
      var sign = f[2] > 0 ? '+' : f[2] < 0 ? '−' : '';
      return [f[1], v, sign + money(v), f[2] > 0 ? 'in' : f[2] < 0 ? 'out' : 'level'];
    }), 'flow');
  }

  /** The current period's learned forecast with its 80 % interval, against the quota. */
  function renderForecast() {
    var box = document.getElementById('forecast');
    box.innerHTML = '';
    var dim = document.getElementById('dimension').value;
    var f = null;
    ['1Q', '1M'].forEach(function (size) {
      var fs = state.forecasts[size + '|' + dim];
      if (!f && fs && fs.length) f = fs[fs.length - 1];
    });
    if (!f) { box.appendChild(el('div', 'empty', 'no forecast yet (monthly or quarterly windows, kpi.windows)')); return; }
    document.getElementById('forecast-window').textContent = f.windowSize + ' from ' + f.windowStart.substring(0, 10);
    var expected = num(f.expected), low = num(f.low), high = num(f.high), quota = num(f.quota);
    var max = Math.max(high || 0, quota || 0, 1);
    var scale = el('div', 'forecast-scale');
    var range = el('div', 'range'); range.style.left = (100 * low / max) + '%'; range.style.width = (100 * (high - low) / max) + '%';
    var mark = el('div', 'expected'); mark.style.left = (100 * expected / max) + '%';
    scale.appendChild(range); scale.appendChild(mark);
    if (quota !== null) { var q = el('div', 'quota'); q.style.left = (100 * quota / max) + '%'; scale.appendChild(q); }
    box.appendChild(el('div', 'big', money(expected)));
    box.appendChild(el('div', 'rate', '80 % between ' + money(low) + ' and ' + money(high)));
    box.appendChild(scale);
    var lines = el('div', 'rate');
    lines.textContent = (quota !== null ? 'quota ' + money(quota) + ' · ' + Math.round(100 * expected / quota) + ' % of it · ' : 'no quota · ')
        + 'fixed stage weights ' + money(num(f.fixedWeights));
    box.appendChild(lines);
    var top = (f.deals || []).slice(0, 3).map(function (d) { return d.dealId + ' ' + money(num(d.expected)) + ' (' + Math.round(100 * d.probability) + ' %)'; });
    if (top.length) box.appendChild(el('div', 'meta', 'largest parts: ' + top.join(' · ')));
    box.dataset.expected = expected;
  }

  /** The reps of the chosen window size, by attainment of their quota (by won amount without quotas). */
  function renderLeaders() {
    var box = document.getElementById('leaders');
    box.innerHTML = '';
    var size = document.getElementById('window').value;
    var rows = [];
    Object.keys(state.series).forEach(function (key) {
      var p = key.split('|');
      if (p[0] !== size || p[1] !== 'ownerId') return;
      var ws = state.series[key];
      var k = ws[ws.length - 1];
      rows.push({ owner: p[2], attainment: num(k.attainment), won: num(k.wonAmount) || 0, quota: num(k.quota) });
    });
    if (!rows.length) { box.appendChild(el('div', 'empty', 'no owners in this window size')); return; }
    var byQuota = rows.some(function (r) { return r.attainment !== null; });
    rows.sort(function (a, b) { return byQuota ? (b.attainment || 0) - (a.attainment || 0) : b.won - a.won; });
    bars(box, rows.slice(0, 8).map(function (r, i) {
      return [(i + 1) + '. ' + r.owner, byQuota ? (r.attainment || 0) : r.won,
        byQuota ? pct(r.attainment) + ' of ' + money(r.quota) : money(r.won)];
    }), 'leader');
  }

  /** Attribution by channel in the latest window of the chosen size (W-shaped). */
  function renderChannels() {
    var box = document.getElementById('channels');
    box.innerHTML = '';
    var size = document.getElementById('window').value;
    var rows = [];
    Object.keys(state.series).forEach(function (key) {
      var p = key.split('|');
      if (p[0] !== size || p[1] !== 'channel') return;
      var ws = state.series[key];
      var k = ws[ws.length - 1];
      rows.push([p[2], num(k['attributedRevenue.W_SHAPED']) || 0]);
    });
    if (!rows.length) { box.appendChild(el('div', 'empty', 'no attribution in this window size')); return; }
    rows.sort(function (a, b) { return b[1] - a[1]; });
    bars(box, rows.slice(0, 8).map(function (r) { return [r[0], r[1], money(r[1])]; }), 'channel');
  }

  function renderFunnel(k) {
    var box = document.getElementById('funnel');
    box.innerHTML = '';
    document.getElementById('funnel-window').textContent = k ? k.windowStart.substring(0, 10) : '';
    if (!k) { box.appendChild(el('div', 'empty', 'no closed window yet')); return; }
    if (k.newLeads === undefined) {
      var f = el('div', 'empty', 'The funnel is counted for the whole company: choose Show → Whole company.');
      f.dataset.reason = 'company-wide';
      box.appendChild(f);
      return;
    }
    var max = Math.max.apply(null, FUNNEL.map(function (f) { return num(k[f[0]]) || 0; }).concat([1]));
    var prev = null;
    FUNNEL.forEach(function (f) {
      var v = num(k[f[0]]) || 0;
      var row = el('div', 'funnel-row');
      row.appendChild(el('div', null, f[1] + ' ' + v));
      var bar = el('div', 'bar'); bar.style.width = (100 * v / max) + '%'; row.appendChild(bar);
      row.appendChild(el('div', 'rate', prev ? (prev > 0 ? Math.round(100 * v / prev) + ' %' : '—') : ''));
      box.appendChild(row);
      prev = v;
    });
    var stages = Object.keys(k).filter(function (n) { return n.indexOf('stageConversion') === 0; });
    stages.forEach(function (n) {
      var v = k[n];
      var stage = n.indexOf('.') > 0 ? n.substring(n.indexOf('.') + 1) : null;
      if (v && typeof v === 'object') {
        Object.keys(v).forEach(function (s) { box.appendChild(el('div', 'funnel-row', s + ' → next: ' + pct(num(v[s])))); });
      } else if (stage) {
        box.appendChild(el('div', 'rate', stage + ' → next ' + pct(num(v))));
      }
    });
  }

  // each series on its own scale, with its axis in the reporting currency: a level (open pipeline) and
  // a flow (won in the window) differ by orders of magnitude
  function renderTrend(ws) {
    var box = document.getElementById('trend');
    box.innerHTML = '';
    var pts = ws.slice(-14);
    if (pts.length < 2) { box.appendChild(el('div', 'empty', 'two windows needed')); return; }
    box.appendChild(chart(pts, 'openPipelineAmount', 'Open pipeline at the window end', '#2f81f7'));
    box.appendChild(chart(pts, 'wonAmount', 'Won in the window', '#3fb950'));
  }

  function chart(pts, key, title, color) {
    var W = 560, H = 130, L = 78, R = 12, T = 22, B = 22;
    var ns = 'http://www.w3.org/2000/svg';
    var values = pts.map(function (k) { return num(k[key]) || 0; });
    var max = Math.max.apply(null, values.concat([1]));
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H); svg.setAttribute('width', '100%');
    svg.setAttribute('data-series', key);
    function text(x, y, s, anchor, style) {
      var t = document.createElementNS(ns, 'text');
      t.setAttribute('x', x); t.setAttribute('y', y); t.textContent = s;
      if (anchor) t.setAttribute('text-anchor', anchor);
      if (style) t.setAttribute('style', style);
      svg.appendChild(t); return t;
    }
    function y(v) { return H - B - v * (H - T - B) / max; }
    [0, max / 2, max].forEach(function (v) {
      var g = document.createElementNS(ns, 'line');
      g.setAttribute('x1', L); g.setAttribute('x2', W - R); g.setAttribute('y1', y(v)); g.setAttribute('y2', y(v));
      g.setAttribute('stroke', '#2d3a48'); g.setAttribute('stroke-width', '1'); svg.appendChild(g);
      text(L - 6, y(v) + 4, money(v), 'end').setAttribute('class', 'axis');
    });
    var pl = document.createElementNS(ns, 'polyline');
    pl.setAttribute('fill', 'none'); pl.setAttribute('stroke', color); pl.setAttribute('stroke-width', '3');
    pl.setAttribute('points', values.map(function (v, i) { return (L + i * (W - L - R) / (values.length - 1)) + ',' + y(v); }).join(' '));
    svg.appendChild(pl);
    text(L, 14, title + ' · latest ' + money(values[values.length - 1]), null, 'fill:' + color);
    text(L, H - 4, pts[0].windowStart.substring(0, 10));
    text(W - R, H - 4, pts[pts.length - 1].windowStart.substring(0, 10), 'end');
    return svg;
  }

  /** The alerts of what Show picks: an owner's, a segment's or a region's (all for the others). */
  function shownAlerts() {
    var d = document.getElementById('dimension').value.split('|');
    var field = d[0] === 'ownerId' ? 'ownerId' : d[0] === 'segment' ? 'segment' : d[0] === 'region' ? 'region' : null;
    if (!field) return state.alerts;
    return state.alerts.filter(function (a) { return a[field] === d[1]; });
  }

  function renderAlerts() {
    var list = document.getElementById('alerts');
    list.innerHTML = '';
    var alerts = shownAlerts();
    var filtered = alerts !== state.alerts;
    // every alert standing, as the server counts them (the list keeps only the last 100); filtered: those kept
    var counts = !filtered && state.alertTotals ? state.alertTotals : { critical: 0, warning: 0, info: 0 };
    if (filtered || !state.alertTotals) {
      alerts.forEach(function (a) { if (counts[a.severity] !== undefined) counts[a.severity]++; });
    }
    document.getElementById('alert-counts').textContent =
        counts.critical + ' critical · ' + counts.warning + ' warning · ' + counts.info + ' info' + (filtered ? ' (of the latest, shown)' : '');
    if (!alerts.length) { list.appendChild(el('li', 'empty', filtered ? 'no alerts for this choice' : 'no alerts yet')); return; }
    alerts.slice(0, 40).forEach(function (a) {
      var li = el('li', a.severity);
      li.dataset.alertId = a.alertId;
      var head = el('div');
      head.appendChild(el('span', 'type', a.type + ' '));
      head.appendChild(el('span', null, a.accountId + (a.dealId ? ' · ' + a.dealId : '')));
      li.appendChild(head);
      li.appendChild(el('div', null, a.reason));
      li.appendChild(el('div', 'meta', a.severity + ' · ' + when(a.triggeredAt) + (a.ownerId ? ' · ' + a.ownerId : '')));
      list.appendChild(li);
    });
  }

  function sortAlerts() {
    // critical alerts pinned first, then newest first; at the same instant the more severe first
    state.alerts.sort(function (x, y) {
      var cx = x.severity === 'critical' ? 0 : 1, cy = y.severity === 'critical' ? 0 : 1;
      if (cx !== cy) return cx - cy;
      return x.triggeredAt < y.triggeredAt ? 1 : x.triggeredAt > y.triggeredAt ? -1 : (SEVERITY[x.severity] - SEVERITY[y.severity]);
    });
  }

  function age(ms) {
    var s = Math.round(ms / 1000);
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    if (s < 172800) return Math.round(s / 3600) + ' h';
    return Math.round(s / 86400) + ' days';
  }

  function seen(iso) {
    var t = Date.parse(iso);
    if (t && t <= Date.now() && t > state.dataTime) state.dataTime = t;
  }

  function status() {
    var s = document.getElementById('status');
    var now = Date.now();
    var st, text;
    if (!connected) { st = 'disconnected'; text = 'disconnected — reconnecting…'; }
    else if (now - lastBeat > STALE_AFTER_MS) { st = 'stale'; text = 'stale: no word from the server for ' + Math.round((now - lastBeat) / 1000) + ' s'; }
    else if (!state.dataTime) { st = 'waiting'; text = 'connected · no data yet'; }
    // the age of the data (its newest event time), not of the stream: a stalled job reads as behind
    else if (now - state.dataTime > state.liveWithinMs) { st = 'behind'; text = 'behind: newest data ' + age(now - state.dataTime) + ' old'; }
    else { st = 'live'; text = 'live · newest data ' + age(Math.max(0, now - state.dataTime)) + ' old'; }
    s.className = 'status ' + st; s.dataset.state = st; s.textContent = text;
  }

  function connect() {
    var es = new EventSource('/api/stream'); // reconnects by itself after an error
    es.addEventListener('open', function () { connected = true; lastBeat = Date.now(); status(); });
    es.addEventListener('error', function () { connected = false; status(); });
    es.addEventListener('state', function (e) {
      var s = JSON.parse(e.data);
      state.series = s.series; state.alerts = s.alerts; state.changes = s.changes; state.lastRecordAt = s.lastRecordAt; state.dataTime = s.dataTime || 0;
      state.forecasts = s.forecasts || {}; state.alertTotals = s.alertTotals || null;
      if (s.currency) state.currency = s.currency;
      if (s.zone) state.zone = s.zone;
      sortAlerts(); lastBeat = Date.now(); connected = true; render(); status();
    });
    es.addEventListener('kpi', function (e) {
      var k = JSON.parse(e.data);
      var key = k.windowSize + '|' + k.dimension + '|' + k.dimensionValue;
      var ws = (state.series[key] = state.series[key] || []);
      ws = ws.filter(function (w) { return w.windowStart !== k.windowStart; });
      if (!k.withdrawn) ws.push(k); // a window a late event left without figures leaves the series
      ws.sort(function (a, b) { return a.windowStart < b.windowStart ? -1 : 1; });
      state.series[key] = ws.slice(-30);
      state.lastRecordAt = Date.now();
      render();
    });
    es.addEventListener('alert', function (e) {
      var a = JSON.parse(e.data);
      // a withdrawn alert (a late event showed it no longer holds) leaves the list; a re-sent one replaces it
      state.alerts = state.alerts.filter(function (x) { return x.alertId !== a.alertId; });
      if (a.status !== 'WITHDRAWN') state.alerts.unshift(a);
      seen(a.triggeredAt);
      sortAlerts();
      state.alerts = state.alerts.slice(0, 100);
      state.lastRecordAt = Date.now();
      renderAlerts();
    });
    es.addEventListener('forecast', function (e) {
      // a window's learned forecast as it begins
      var f = JSON.parse(e.data);
      var key = f.windowSize + '|' + f.dimension + '|' + f.dimensionValue;
      var fs = (state.forecasts[key] || []).filter(function (x) { return x.windowStart !== f.windowStart; });
      fs.push(f);
      fs.sort(function (a, b) { return a.windowStart < b.windowStart ? -1 : 1; });
      state.forecasts[key] = fs.slice(-6);
      renderForecast();
    });
    es.addEventListener('change', function (e) {
      var u = JSON.parse(e.data);
      state.changes.unshift(u); state.changes = state.changes.slice(0, 50); seen(u.at);
    });
    es.addEventListener('heartbeat', function (e) {
      var b = JSON.parse(e.data); lastBeat = Date.now(); connected = true;
      if (b.lastRecordAt) state.lastRecordAt = b.lastRecordAt;
      if (b.dataTime > state.dataTime) state.dataTime = b.dataTime;
      if (b.liveWithinMs) state.liveWithinMs = b.liveWithinMs;
      if (b.alertTotals) { state.alertTotals = b.alertTotals; renderAlerts(); }
      status();
    });
    es.addEventListener('disconnected', function () { connected = false; status(); });
  }

  document.getElementById('window').addEventListener('change', render);
  document.getElementById('dimension').addEventListener('change', render);
  setInterval(status, 1000);
  connect();
})();
