/* ltk's chart script (templates/charts.js): put by ltk in place of the
   comment ltk:charts.js inside a page's first script element
   (ltk/render/page.h).  Over each figure.chart that has an SVG made by
   gnuplot and a JSON data block (a script element of type
   application/json, class ltk-plot): the values under the pointer with their x, legend entries that
   hide and show their series, zoom of the x range (drag, buttons, reset).
   No network, no eval, no inline handlers or style attributes: it runs
   under the page's Content-Security-Policy. */
(function () {
  "use strict";
  var NS = null;  /* the SVG namespace, taken from a chart */
  function mk(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) { return "n/a"; }
    var a = Math.abs(v);
    return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : a === 0 ? "0" : v.toPrecision(3);
  }
  function nearest(xs, x) {
    var lo = 0, hi = xs.length - 1;
    if (hi < 0) { return -1; }
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (xs[mid] <= x) { lo = mid; } else { hi = mid; }
    }
    return Math.abs(xs[hi] - x) < Math.abs(xs[lo] - x) ? hi : lo;
  }
  function setup(fig, n) {
    var holder = fig.querySelector("script.ltk-plot"), svg = fig.querySelector("svg");
    if (!holder || !svg) { return; }
    NS = svg.namespaceURI;
    var d = JSON.parse(holder.textContent), ax = d.axes, W = ax.right - ax.left;
    var view = { x0: ax.xmin, x1: ax.xmax }, hidden = [];
    var lg = function (v) { return ax.logx ? Math.log(v) : v; };
    var ex = function (v) { return ax.logx ? Math.exp(v) : v; };
    function toPx(x) { return ax.left + (lg(x) - lg(view.x0)) / (lg(view.x1) - lg(view.x0)) * W; }
    function fromPx(px) { return ex(lg(view.x0) + (px - ax.left) / W * (lg(view.x1) - lg(view.x0))); }
    function toPy(y, right) {
      var lo = right ? ax.y2min : ax.ymin, hi = right ? ax.y2max : ax.ymax;
      return ax.bottom - (y - lo) / (hi - lo) * (ax.bottom - ax.top);
    }
    var plots = [], keys = [], samples = [], colors = [];
    d.series.forEach(function (s, i) {
      var p = svg.querySelector('[id$="-gnuplot_plot_' + (i + 1) + '"]');
      var k = svg.querySelector('[id$="-gnuplot_plot_' + (i + 1) + '_keyentry"]');
      plots.push(p);
      keys.push(k);
      /* the key's line sample is the group after the key entry */
      var sg = k ? k.nextElementSibling : null, sample = sg ? sg.querySelector("path, use") : null;
      samples.push(sg);
      colors.push(sample && sample.getAttribute("stroke") ? sample.getAttribute("stroke") : "#333333");
      hidden.push(false);
      if (!p || !k) { return; }
      k.classList.add("ltk-key");
      k.setAttribute("tabindex", "0");
      k.setAttribute("role", "button");
      k.setAttribute("aria-pressed", "true");
      var toggle = function () {
        hidden[i] = !hidden[i];
        p.setAttribute("visibility", hidden[i] ? "hidden" : "visible");
        k.setAttribute("opacity", hidden[i] ? "0.35" : "1");
        k.setAttribute("aria-pressed", hidden[i] ? "false" : "true");
      };
      k.addEventListener("click", toggle);
      k.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); toggle(); }
      });
    });
    /* the drawn data: every path and point of a plot group but its key entry */
    var clipId = "ltk-clip-" + n;
    var defs = mk("defs", {}, svg), cp = mk("clipPath", { id: clipId }, defs);
    mk("rect", { x: ax.left, y: ax.top - 4, width: W, height: ax.bottom - ax.top + 8 }, cp);
    var drawn = [];
    plots.forEach(function (p, i) {
      if (!p) { return; }
      Array.prototype.forEach.call(p.querySelectorAll("path, use"), function (el) {
        if ((samples[i] && samples[i].contains(el)) || el.closest('[id*="_keyentry"]')) { return; }
        var m = /translate\(([-0-9.]+),([-0-9.]+)\)(.*)/.exec(el.getAttribute("transform") || "");
        var wrap = mk("g", { "clip-path": "url(#" + clipId + ")" });
        el.parentNode.insertBefore(wrap, el);
        wrap.appendChild(el);
        if (el.tagName === "path") { el.setAttribute("vector-effect", "non-scaling-stroke"); }
        drawn.push({ el: el, tx: m ? parseFloat(m[1]) : null, ty: m ? m[2] : null, rest: m ? m[3] : "" });
      });
    });
    function place() {
      var a = (lg(view.x0) - lg(ax.xmin)) / (lg(ax.xmax) - lg(ax.xmin)) * W + ax.left;
      var k = (lg(ax.xmax) - lg(ax.xmin)) / (lg(view.x1) - lg(view.x0));
      drawn.forEach(function (o) {
        if (o.tx === null) {
          o.el.setAttribute("transform", "matrix(" + k + ",0,0,1," + (ax.left - a * k) + ",0)");
        } else {
          o.el.setAttribute("transform", "translate(" + (ax.left + (o.tx - a) * k) + "," + o.ty + ")" + o.rest);
        }
      });
      axisLabels(k !== 1);
    }
    /* x tick labels while zoomed: gnuplot's are covered and redrawn */
    var tickLayer = mk("g", { visibility: "hidden", "pointer-events": "none" }, svg);
    function axisLabels(zoomed) {
      while (tickLayer.firstChild) { tickLayer.removeChild(tickLayer.firstChild); }
      tickLayer.setAttribute("visibility", zoomed ? "visible" : "hidden");
      if (!zoomed) { return; }
      mk("rect", { x: ax.left - 30, y: ax.bottom + 1, width: W + 60, height: 20, fill: "#ffffff" }, tickLayer);
      for (var t = 0; t <= 5; t++) {
        var px = ax.left + W * t / 5;
        mk("line", { x1: px, x2: px, y1: ax.bottom, y2: ax.bottom + 5, stroke: "#555555" }, tickLayer);
        var tx = mk("text", { x: px, y: ax.bottom + 17, "text-anchor": "middle", "font-size": "12", fill: "#555555",
                               "font-family": "sans-serif" }, tickLayer);
        tx.textContent = fmt(fromPx(px));
      }
    }
    /* hover: a line, a dot per series and a box with the values */
    var hover = mk("g", { visibility: "hidden", "pointer-events": "none", class: "ltk-hover" }, svg);
    var vline = mk("line", { y1: ax.top, y2: ax.bottom, stroke: "#888888", "stroke-dasharray": "3,3" }, hover);
    var dots = d.series.map(function (s, i) {
      return mk("circle", { r: 4, fill: "#ffffff", stroke: colors[i], "stroke-width": 2 }, hover);
    });
    var sel = mk("rect", { y: ax.top, height: ax.bottom - ax.top, fill: "#1f77b4", opacity: "0.15",
                           visibility: "hidden", "pointer-events": "none" }, svg);
    var tip = document.createElement("div");
    tip.className = "ltk-tip";
    tip.hidden = true;
    fig.appendChild(tip);
    function local(ev) {
      var pt = svg.createSVGPoint();
      pt.x = ev.clientX;
      pt.y = ev.clientY;
      return pt.matrixTransform(svg.getScreenCTM().inverse());
    }
    function hide() { hover.setAttribute("visibility", "hidden"); tip.hidden = true; }
    var dragFrom = null;
    function show(ev) {
      var p = local(ev);
      if (dragFrom !== null) {
        var a = Math.max(ax.left, Math.min(dragFrom, p.x)), b = Math.min(ax.right, Math.max(dragFrom, p.x));
        sel.setAttribute("x", a);
        sel.setAttribute("width", b - a);
        sel.setAttribute("visibility", "visible");
      }
      if (p.x < ax.left || p.x > ax.right || p.y < ax.top || p.y > ax.bottom) { hide(); return; }
      var x = fromPx(p.x), rows = [], xAt = null, best = Infinity;
      d.series.forEach(function (s, i) {
        dots[i].setAttribute("visibility", "hidden");
        if (hidden[i] || !s.x.length) { return; }
        var j = nearest(s.x, x);
        var dist = Math.abs(toPx(s.x[j]) - p.x);
        if (dist < best) { best = dist; xAt = s.x[j]; }
      });
      if (xAt === null) { hide(); return; }
      d.series.forEach(function (s, i) {
        if (hidden[i] || !s.x.length) { return; }
        var j = nearest(s.x, xAt), y = s.y[j], px = s.x[j];
        if (s.steps) {
          /* a step function: the value of its last point at or before xAt */
          if (s.x[j] > xAt) { j -= 1; }
          if (j < 0) { return; }
          y = s.y[j];
          px = xAt;
        } else if (Math.abs(toPx(s.x[j]) - toPx(xAt)) > 3) { return; }
        rows.push([s.title, fmt(y)]);
        if (y !== null) {
          dots[i].setAttribute("cx", toPx(px));
          dots[i].setAttribute("cy", toPy(y, s.right));
          dots[i].setAttribute("visibility", "visible");
        }
      });
      vline.setAttribute("x1", toPx(xAt));
      vline.setAttribute("x2", toPx(xAt));
      hover.setAttribute("visibility", "visible");
      while (tip.firstChild) { tip.removeChild(tip.firstChild); }
      var head = document.createElement("div");
      head.className = "ltk-tip-x";
      head.textContent = d.bars ? (d.categories[Math.round(xAt)] || "") : (d.xlabel || "x") + ": " + fmt(xAt);
      tip.appendChild(head);
      rows.forEach(function (r) {
        var line = document.createElement("div"), b = document.createElement("b");
        b.textContent = r[1];
        line.textContent = r[0] + ": ";
        line.appendChild(b);
        tip.appendChild(line);
      });
      tip.hidden = false;
      var box = fig.getBoundingClientRect(), sb = svg.getBoundingClientRect();
      var left = ev.clientX - box.left + 14;
      if (left + tip.offsetWidth > box.width) { left = ev.clientX - box.left - tip.offsetWidth - 14; }
      tip.style.left = Math.max(0, left) + "px";
      tip.style.top = (sb.top - box.top + 8) + "px";
    }
    svg.addEventListener("mousemove", show);
    svg.addEventListener("mouseleave", function () { hide(); });
    if (d.bars) { return; }
    /* zoom: drag across the plot, or the buttons */
    var bar = document.createElement("div");
    bar.className = "ltk-zoom";
    var zin = document.createElement("button"), zreset = document.createElement("button");
    zin.type = zreset.type = "button";
    zin.textContent = "zoom in";
    zreset.textContent = "reset zoom";
    zreset.disabled = true;
    bar.appendChild(zin);
    bar.appendChild(zreset);
    fig.insertBefore(bar, svg);
    function zoom(a, b) {
      if (!(b > a)) { return; }
      view.x0 = a;
      view.x1 = b;
      zreset.disabled = a === ax.xmin && b === ax.xmax;
      place();
      hide();
    }
    zin.addEventListener("click", function () {
      var l0 = lg(view.x0), l1 = lg(view.x1), q = (l1 - l0) / 4;
      zoom(ex(l0 + q), ex(l1 - q));
    });
    zreset.addEventListener("click", function () { zoom(ax.xmin, ax.xmax); });
    svg.addEventListener("mousedown", function (ev) {
      var p = local(ev);
      if (ev.button === 0 && p.x >= ax.left && p.x <= ax.right && p.y >= ax.top && p.y <= ax.bottom) {
        dragFrom = p.x;
        ev.preventDefault();
      }
    });
    window.addEventListener("mouseup", function (ev) {
      if (dragFrom === null) { return; }
      var p = local(ev), a = Math.max(ax.left, Math.min(dragFrom, p.x)), b = Math.min(ax.right, Math.max(dragFrom, p.x));
      dragFrom = null;
      sel.setAttribute("visibility", "hidden");
      if (b - a > 4) { zoom(fromPx(a), fromPx(b)); }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("figure.chart"), function (fig, n) {
    try { setup(fig, n); } catch (e) { console.error("ltk: chart " + (n + 1) + " is not interactive: " + e); }
  });
}());
