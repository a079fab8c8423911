// The revstream wallboard: one EventSource to the server, which sends the whole picture first,
// then every KPI window, alert and journey change as it is committed. No external assets.
(function () {
  'use strict';
  var state = { series: {}, forecasts: {}, alerts: [], alertTotals: null, changes: [], lastRecordAt: 0, dataTime: 0, liveWithinMs: 300000 };
  var lastBeat = 0;
  var connected = false;
  var STALE_AFTER_MS = 10000; // no heartbeat for this long: the stream is stale

  var TILES = [
    { key: 'openPipelineAmount', label: 'Open pipeline', fmt: money, revenue: false },
    { key: 'pipelineVelocityPerDay', label: 'Pipeline velocity / day', fmt: money, revenue: false },
    { key: 'winRate', label: 'Win rate', fmt: pct, revenue: false },
    { key: 'avgSalesCycleDays', label: 'Sales cycle', fmt: days, revenue: false },
    { key: 'arr', label: 'ARR', fmt: money, revenue: true },
    { key: 'netNewArr', label: 'Net new ARR', fmt: money, revenue: true },
    { key: 'netRevenueRetention', label: 'NRR', fmt: pct, revenue: true }
  ];
  var FUNNEL = [['newLeads', 'Leads'], ['newMqls', 'MQLs'], ['newSqls', 'SQLs'], ['newOpportunities', 'Opportunities'], ['newCustomers', 'Customers']];
  var SEVERITY = { critical: 0, warning: 1, info: 2 };

  function num(v) { return v === null || v === undefined || v === '' || isNaN(Number(v)) ? null : Number(v); }
  function money(v) { return v === null ? '—' : Math.round(v).toLocaleString('en-US'); }
  function pct(v) { return v === null ? '—' : (v * 100).toFixed(1) + ' %'; }
  function days(v) { return v === null ? '—' : v.toFixed(1) + ' d'; }
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
    var byRegion = document.getElementById('dimension').value.indexOf('region|') === 0;
    var tiles = document.getElementById('tiles');
    tiles.innerHTML = '';
    TILES.forEach(function (t) {
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
          d.textContent = (diff >= 0 ? '▲ ' : '▼ ') + t.fmt(Math.abs(diff)) + ' vs previous window';
          d.classList.add(diff >= 0 ? 'up' : 'down');
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
  }

  function renderFunnel(k) {
    var box = document.getElementById('funnel');
    box.innerHTML = '';
    document.getElementById('funnel-window').textContent = k ? k.windowStart.substring(0, 10) : '';
    if (!k) { box.appendChild(el('div', 'empty', 'no closed window yet')); return; }
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

  function renderTrend(ws) {
    var box = document.getElementById('trend');
    box.innerHTML = '';
    var pts = ws.slice(-14);
    if (pts.length < 2) { box.appendChild(el('div', 'empty', 'two windows needed')); return; }
    var W = 560, H = 220, P = 30;
    var values = pts.map(function (k) { return num(k.openPipelineAmount) || 0; });
    var won = pts.map(function (k) { return num(k.wonAmount) || 0; });
    var max = Math.max.apply(null, values.concat(won).concat([1]));
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H); svg.setAttribute('width', '100%');
    function line(series, color) {
      var pl = document.createElementNS(ns, 'polyline');
      pl.setAttribute('fill', 'none'); pl.setAttribute('stroke', color); pl.setAttribute('stroke-width', '3');
      pl.setAttribute('points', series.map(function (v, i) {
        return (P + i * (W - 2 * P) / (series.length - 1)) + ',' + (H - P - v * (H - 2 * P) / max);
      }).join(' '));
      svg.appendChild(pl);
    }
    line(values, '#2f81f7');
    line(won, '#3fb950');
    [['open pipeline', '#2f81f7', 0], ['won', '#3fb950', 1]].forEach(function (l) {
      var t = document.createElementNS(ns, 'text'); t.setAttribute('x', P + l[2] * 140); t.setAttribute('y', 16);
      t.setAttribute('style', 'fill:' + l[1]); t.textContent = l[0]; svg.appendChild(t);
    });
    var first = document.createElementNS(ns, 'text'); first.setAttribute('x', P); first.setAttribute('y', H - 8);
    first.textContent = pts[0].windowStart.substring(0, 10); svg.appendChild(first);
    var last = document.createElementNS(ns, 'text'); last.setAttribute('x', W - P - 70); last.setAttribute('y', H - 8);
    last.textContent = pts[pts.length - 1].windowStart.substring(0, 10); svg.appendChild(last);
    box.appendChild(svg);
  }

  function renderAlerts() {
    var list = document.getElementById('alerts');
    list.innerHTML = '';
    // every alert standing, as the server counts them (the list keeps only the last 100)
    var counts = state.alertTotals || { critical: 0, warning: 0, info: 0 };
    if (!state.alertTotals) state.alerts.forEach(function (a) { if (counts[a.severity] !== undefined) counts[a.severity]++; });
    document.getElementById('alert-counts').textContent =
        counts.critical + ' critical · ' + counts.warning + ' warning · ' + counts.info + ' info';
    if (!state.alerts.length) { list.appendChild(el('li', 'empty', 'no alerts yet')); return; }
    state.alerts.slice(0, 40).forEach(function (a) {
      var li = el('li', a.severity);
      li.dataset.alertId = a.alertId;
      var head = el('div');
      head.appendChild(el('span', 'type', a.type + ' '));
      head.appendChild(el('span', null, a.accountId + (a.dealId ? ' · ' + a.dealId : '')));
      li.appendChild(head);
      li.appendChild(el('div', null, a.reason));
      li.appendChild(el('div', 'meta', a.severity + ' · ' + a.triggeredAt + (a.ownerId ? ' · ' + a.ownerId : '')));
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
      // a window's learned forecast as it begins (the panels that show it read state.forecasts)
      var f = JSON.parse(e.data);
      var key = f.windowSize + '|' + f.dimension + '|' + f.dimensionValue;
      var fs = (state.forecasts[key] || []).filter(function (x) { return x.windowStart !== f.windowStart; });
      fs.push(f);
      fs.sort(function (a, b) { return a.windowStart < b.windowStart ? -1 : 1; });
      state.forecasts[key] = fs.slice(-6);
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
