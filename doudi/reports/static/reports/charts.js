// Statistics charts: one ECharts line chart per figure (合计, 城镇, 农村 by month), from the page's JSON.
// The tables under each chart hold the same figures, so the page reads without JavaScript.
(function () {
  function draw() {
    var el = document.getElementById("stats-json");
    if (!el || typeof echarts === "undefined") return;
    var data = JSON.parse(el.textContent);
    document.querySelectorAll(".chart[data-figure]").forEach(function (box) {
      var p = data.programs[box.dataset.program];
      var f = p.figures.filter(function (x) { return x.id === box.dataset.figure; })[0];
      var num = function (v) { return v === null ? null : Number(v); };
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: ["合计", "城镇", "农村"], top: 0 },
        grid: { left: 60, right: 16, top: 30, bottom: 30 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", name: f.unit },
        series: [
          { name: "合计", type: "line", data: f.series.map(num) },
          { name: "城镇", type: "line", data: f.by_residence.urban.map(num) },
          { name: "农村", type: "line", data: f.by_residence.rural.map(num) }
        ]
      });
      box.dataset.drawn = "1";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
