// The charts of `corpus report`, drawn with uPlot from the JSON the page embeds
// (#report-data). Every chart container is a [data-chart] element; once drawn it is marked
// data-drawn="true" (what `cargo xtask report-check` looks for), and any error of the page is
// written to body[data-errors].
(function () {
  'use strict';
  var errors = [];
  function fail(message) {
    errors.push(String(message));
    document.body.setAttribute('data-errors', errors.join(' | '));
  }
  window.addEventListener('error', function (e) { fail(e.message); });

  var data;
  try {
    data = JSON.parse(document.getElementById('report-data').textContent);
  } catch (e) {
    fail('cannot read the page data: ' + e);
    return;
  }

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
  function palette() {
    return {
      bg: cssVar('--bg'), fg: cssVar('--fg'), muted: cssVar('--muted'), grid: cssVar('--grid'),
      a: cssVar('--series-a'), b: cssVar('--series-b'), mark: cssVar('--mark')
    };
  }
  // Diagonal hatching: copies read as copies in grey print too.
  function hatch(color, bg) {
    var c = document.createElement('canvas');
    c.width = c.height = 8;
    var x = c.getContext('2d');
    x.fillStyle = bg; x.fillRect(0, 0, 8, 8);
    x.strokeStyle = color; x.lineWidth = 1.6;
    x.beginPath();
    x.moveTo(0, 8); x.lineTo(8, 0);
    x.moveTo(-2, 2); x.lineTo(2, -2);
    x.moveTo(6, 10); x.lineTo(10, 6);
    x.stroke();
    return x.createPattern(c, 'repeat');
  }
  function fmt(n) {
    if (n == null || isNaN(n)) return '–';
    return Math.abs(n) >= 1000 || Number.isInteger(n) ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
  }
  // 12,500 as 12.5k, for the narrow axes of small charts.
  function compact(n) {
    if (Math.abs(n) >= 1e6) return +(n / 1e6).toFixed(1) + 'M';
    if (Math.abs(n) >= 1e3) return +(n / 1e3).toFixed(1) + 'k';
    return fmt(n);
  }
  function axes(p, xLabel, yLabel, xValues, small) {
    var common = { stroke: p.fg, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 } };
    if (small) common.font = '10px system-ui, sans-serif';
    var x = Object.assign({}, common, { label: xLabel || null, labelSize: xLabel ? 20 : 0 });
    if (small) x.space = 60;
    if (xValues) x.values = xValues;
    var y = Object.assign({}, common, { label: yLabel || null, labelSize: yLabel ? 20 : 0, size: small ? 40 : 56,
      values: function (u, splits) { return splits.map(small ? compact : fmt); } });
    if (small) y.space = 18;
    return [x, y];
  }
  function widthOf(el) {
    return Math.max(160, Math.floor(el.getBoundingClientRect().width || el.parentNode.clientWidth || 600));
  }
  // Bars at the middle of their period, the axis padded by half a period on each side.
  function midpoints(x) {
    if (x.length === 0) return { mid: [], half: 43200 };
    var step = x.length > 1 ? x[1] - x[0] : 86400;
    var mid = x.map(function (v, i) {
      var w = i + 1 < x.length ? x[i + 1] - v : step;
      return v + w / 2;
    });
    return { mid: mid, half: step / 2 };
  }
  // Ticks of a weekly chart on the weeks' Mondays (uPlot's own fall on any day), every n-th
  // week so that the labels do not crowd.
  function periodTicks(ax, small) {
    if (data.volume.periods.bin !== 'week') return ax;
    var starts = data.volume.periods.x;
    ax[0].splits = function (u, i, min, max) {
      var shown = starts.filter(function (v) { return v >= min && v <= max; });
      var room = Math.max(1, Math.floor(u.bbox.width / (window.devicePixelRatio || 1) / (small ? 60 : 90)));
      var every = Math.max(1, Math.ceil(shown.length / room));
      return shown.filter(function (v, k) { return k % every === 0; });
    };
    return ax;
  }
  function timeScale(half) {
    return { time: true, range: function (u, min, max) { return [min - half, max + half]; } };
  }
  // Bars stand on zero.
  function zeroY() {
    return { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } };
  }
  function bars(size) {
    return uPlot.paths.bars({ size: [size || 0.85, 80], align: 0 });
  }
  var labels = data.volume.periods.labels;
  var periodName = { day: 'day', week: 'week from Monday', month: 'month', year: 'year' }[data.volume.periods.bin];
  function periodValue(u, v, si, i) { return i == null ? '' : labels[i]; }

  var plots = [];
  var builders = {
    volume: function (el, p, small) {
      var v = data.volume, m = midpoints(v.periods.x);
      var total = v.kept.map(function (k, i) { return k + v.copies[i]; });
      return new uPlot({
        width: widthOf(el), height: small ? 110 : 280,
        legend: { show: !small },
        cursor: { points: { show: false } },
        scales: { x: timeScale(m.half), y: zeroY() },
        axes: periodTicks(axes(p, small ? null : 'documents per ' + periodName, null, null, small), small),
        series: [
          { label: 'period', value: periodValue },
          { label: 'copies (hatched)', fill: hatch(p.b, p.bg), stroke: p.b, width: 1, points: { show: false }, paths: bars(),
            value: function (u, x, si, i) { return i == null ? '–' : fmt(v.copies[i]); } },
          { label: 'kept', fill: p.a, stroke: p.a, width: 0, points: { show: false }, paths: bars() }
        ]
      }, [m.mid, total, v.kept], el);
    },
    words: function (el, p, small, counts) {
      var h = data.words, w = h.width;
      var mid = h.edges.map(function (e) { return e + w / 2; });
      var dist = data.stats.words_per_document;
      var marks = dist && !small ? [['p10', dist.p10, [2, 3]], ['median', dist.median, []],
        ['mean', dist.mean, [8, 3]], ['p90', dist.p90, [2, 3]]] : [];
      var last = h.edges.length - 1;
      return new uPlot({
        width: widthOf(el), height: small ? 110 : 260,
        legend: { show: !small },
        cursor: { points: { show: false } },
        scales: { x: { time: false, range: function () { return [0, (last + 1) * w]; } }, y: zeroY() },
        axes: axes(p, small ? null : 'words per document', small ? null : 'documents', null, small),
        series: [
          { label: 'words', value: function (u, x, si, i) {
            if (i == null) return '';
            return h.open && i === last ? '≥ ' + fmt(h.edges[i]) : fmt(h.edges[i]) + '–' + fmt(h.edges[i] + w - 1);
          } },
          { label: 'documents', fill: p.a, stroke: p.a, width: 0, points: { show: false }, paths: bars(0.92) }
        ],
        hooks: { draw: [function (u) {
          var ctx = u.ctx, top = u.bbox.top, bottom = top + u.bbox.height;
          ctx.save();
          ctx.strokeStyle = p.mark; ctx.fillStyle = p.mark; ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif';
          ctx.textAlign = 'left';
          marks.forEach(function (mk, k) {
            var x = u.valToPos(mk[1], 'x', true);
            ctx.setLineDash(mk[2].map(function (d) { return d * devicePixelRatio; }));
            ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
            ctx.fillText(mk[0] + ' ' + fmt(mk[1]), x + 3 * devicePixelRatio, top + (12 + 13 * k) * devicePixelRatio);
          });
          ctx.restore();
        }] }
      }, [mid, counts || h.counts], el);
    },
    trend: function (el, p, small, t) {
      var terms = data.trend.terms, m = midpoints(data.volume.periods.x);
      var term = terms[t];
      var max = 0;
      terms.forEach(function (x) { x.per_million.forEach(function (v) { if (v != null && v > max) max = v; }); });
      return new uPlot({
        width: widthOf(el), height: 130,
        legend: { show: false },
        scales: { x: timeScale(m.half), y: { range: [0, max > 0 ? max * 1.05 : 1] } },
        axes: periodTicks(axes(p, null, null, null, true), true),
        series: [
          { value: periodValue },
          // Points too: a period between two without words has no line to be on.
          { label: term.term, stroke: p.a, width: 1.75, fill: p.grid, points: { show: true, size: 3, fill: p.a } }
        ]
      }, [m.mid, term.per_million], el);
    },
    lags: function (el, p) {
      var l = data.lags, lo = l.days[0], hi = l.days[l.days.length - 1];
      return new uPlot({
        width: widthOf(el), height: 220,
        cursor: { points: { show: false } },
        scales: { x: { time: false, range: [lo - 0.5, hi + 0.5] }, y: zeroY() },
        axes: axes(p, 'days from the kept copy to the copy', 'copies', function (u, splits) {
          return splits.map(function (d) {
            if (d !== Math.round(d)) return '';
            return (d === hi && hi >= 30 ? '≥ ' : d === lo && lo <= -30 ? '≤ ' : '') + d;
          });
        }),
        series: [
          { label: 'days', value: function (u, x) { return x == null ? '' : String(x); } },
          { label: 'copies', fill: hatch(p.b, p.bg), stroke: p.b, width: 1, points: { show: false }, paths: bars(0.8) }
        ]
      }, [l.days, l.copies], el);
    },
    'group-volume': function (el, p, small, g) {
      var m = midpoints(data.volume.periods.x);
      return new uPlot({
        width: widthOf(el), height: 100, legend: { show: false },
        cursor: { points: { show: false } },
        scales: { x: timeScale(m.half), y: zeroY() },
        axes: periodTicks(axes(p, null, null, null, true), true),
        series: [{ value: periodValue }, { label: 'documents', fill: p.a, stroke: p.a, width: 0, points: { show: false }, paths: bars() }]
      }, [m.mid, data.groups[g].volume], el);
    },
    'group-words': function (el, p, small, g) {
      return builders.words(el, p, true, data.groups[g].words);
    }
  };

  function drawAll() {
    plots.forEach(function (u) { u.destroy(); });
    plots = [];
    var p = palette();
    var charts = document.querySelectorAll('[data-chart]');
    for (var i = 0; i < charts.length; i++) {
      var el = charts[i];
      var kind = el.getAttribute('data-chart');
      var arg = el.hasAttribute('data-index') ? Number(el.getAttribute('data-index')) : undefined;
      try {
        plots.push(builders[kind](el, p, el.hasAttribute('data-small'), arg));
        el.setAttribute('data-drawn', 'true');
      } catch (e) {
        fail(kind + ': ' + e);
      }
    }
  }

  // Sortable tables: a click on a heading sorts by that column, again to reverse.
  function sortable(table) {
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var numeric = th.classList.contains('num');
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var vx = x.getAttribute('data-value') || x.textContent;
          var vy = y.getAttribute('data-value') || y.textContent;
          var c = numeric ? Number(vx) - Number(vy) : vx.localeCompare(vy);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  document.querySelectorAll('table.sortable').forEach(sortable);

  drawAll();
  var pending;
  function redraw() { clearTimeout(pending); pending = setTimeout(drawAll, 120); }
  window.addEventListener('resize', redraw);
  // The theme, and printing (black on white, the page's width), redraw the charts.
  var dark = window.matchMedia('(prefers-color-scheme: dark)');
  if (dark.addEventListener) dark.addEventListener('change', drawAll);
  var print = window.matchMedia('print');
  if (print.addEventListener) print.addEventListener('change', drawAll);
  window.addEventListener('beforeprint', drawAll);
  window.addEventListener('afterprint', drawAll);
})();
