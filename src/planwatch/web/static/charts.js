// Draw every [data-chart] element from its JSON twin (data-src); redraw after htmx swaps.
(function () {
  "use strict";

  // Tooltips drawn on the canvas: ECharts' HTML tooltips carry inline style attributes,
  // which the page's Content-Security-Policy (style-src 'self') refuses.
  var TOOLTIP_MODE = "richText";

  function statusOption(data) {
    var chart = data.chart;
    return {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: TOOLTIP_MODE },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", data: chart.categories, axisLabel: { interval: 0, rotate: chart.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: "指标数", minInterval: 1 },
      series: chart.series.map(function (s) {
        return { name: s.label, type: "bar", stack: "status", barMaxWidth: 90, data: s.data, itemStyle: { color: s.colour },
                 label: { show: true, position: "inside", formatter: function (p) { return p.value || ""; } } };
      })
    };
  }

  function indicatorOption(data) {
    var c = data.chart;
    var series = [
      { name: "实际值", type: "line", data: c.actual, symbolSize: 8, lineStyle: { width: 3 }, itemStyle: { color: "#0b5cad" } },
      { name: "规划路径", type: "line", data: c.planned, lineStyle: { type: "dashed" }, itemStyle: { color: "#5b8c2a" } }
    ];
    if (c.projection.length) {
      series.push({ name: "按目前速度预测", type: "line", data: c.projection, lineStyle: { type: "dotted" }, itemStyle: { color: "#c2410c" } });
    }
    var years = c.years;
    if (c.target && c.target.rate) {
      // A rate target (年均增长7%以上) holds every year: a level line, not a point at the end.
      series.push({ name: "目标 " + c.target.text, type: "line", symbol: "none", lineStyle: { type: "dotted" },
                    data: [[years[0], c.target.value], [years[years.length - 1], c.target.value]],
                    itemStyle: { color: "#b91c1c" } });
    } else if (c.target) {
      series.push({ name: "目标 " + c.target.text, type: "scatter", symbol: "diamond", symbolSize: 14,
                    data: [[c.target.year, c.target.value]], itemStyle: { color: "#b91c1c" } });
    }
    return {
      animation: false,
      // Years read as years (2023年, not 2,023.00) and values at the report's precision (two decimals at most).
      tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE, valueFormatter: roundedValue },
      legend: { top: 0 },
      grid: { left: 60, right: 30, top: 40, bottom: 40 },
      xAxis: { type: "value", min: years[0], max: years[years.length - 1], interval: 1,
               axisLabel: { formatter: function (v) { return v + "年"; } },
               axisPointer: { label: { formatter: function (p) { return Math.round(p.value) + "年"; } } } },
      yAxis: { type: "value", name: c.unit, scale: true },
      series: series
    };
  }

  function roundedValue(v) {
    if (typeof v !== "number" || !isFinite(v)) { return v == null ? "—" : String(v); }
    return String(Math.round(v * 100) / 100);
  }

  // One indicator across a family of plans: each plan's target (a diamond at its target year) over the
  // values observed or printed (base years, outcomes, the latest value).
  function familyOption(data) {
    var c = data.chart;
    var years = c.years;
    return {
      animation: false,
      tooltip: { trigger: "item", renderMode: TOOLTIP_MODE, valueFormatter: roundedValue },
      legend: { top: 0 },
      grid: { left: 60, right: 70, top: 50, bottom: 40 },
      xAxis: { type: "value", min: years[0], max: years[years.length - 1], interval: 1,
               axisLabel: { formatter: function (v) { return v + "年"; } } },
      yAxis: { type: "value", name: c.unit, scale: true },
      series: [
        { name: "实际值", type: "line", data: c.actual, symbolSize: 8, lineStyle: { width: 3 }, itemStyle: { color: "#0b5cad" } },
        { name: "规划目标", type: "scatter", symbol: "diamond", symbolSize: 14, itemStyle: { color: "#b91c1c" },
          data: c.targets.map(function (t) { return { value: [t[0], t[1]], name: t[2] }; }),
          label: { show: true, position: "top", formatter: function (p) { return p.name; } } }
      ]
    };
  }

  var builders = { status: statusOption, indicator: indicatorOption, family: familyOption };

  function draw(el) {
    var build = builders[el.dataset.chart];
    if (!build || !window.echarts) { return; }
    fetch(el.dataset.src, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(build(data), true);
        el.dataset.drawn = "true";
      })
      .catch(function (err) { el.textContent = "图表数据读取失败（" + err.message + "）"; });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function () { drawAll(document); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts && echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
})();
