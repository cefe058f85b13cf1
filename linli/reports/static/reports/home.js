// Home page charts (ECharts served locally): members by category, households by tag; a click opens the list.
(function () {
  var source = document.getElementById("home-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var red = ["#c8161d", "#e2533f", "#f08a5d", "#f6b26b", "#9e0b0f", "#d9a7a7"];

  function open(params) { if (params.data && params.data.url) { window.location.href = params.data.url; } }

  var pieBox = document.getElementById("chart-categories");
  if (pieBox) {
    var pie = echarts.init(pieBox);
    pie.setOption({
      color: red,
      tooltip: { trigger: "item", formatter: "{b}：{c}人（{d}%）" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: data.categories.filter(function (d) { return d.value > 0; }),
                 label: { formatter: "{b} {c}" } }]
    });
    pie.on("click", open);
    window.addEventListener("resize", function () { pie.resize(); });
  }
  var barBox = document.getElementById("chart-tags");
  if (barBox) {
    var bar = echarts.init(barBox);
    bar.setOption({
      color: ["#c8161d"],
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 10, top: 10, bottom: 30 },
      xAxis: { type: "category", data: data.tags.map(function (d) { return d.name; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: data.tags.map(function (d) { return { value: d.value, url: d.url }; }) }]
    });
    bar.on("click", open);
    window.addEventListener("resize", function () { bar.resize(); });
  }
})();
