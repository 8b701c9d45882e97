// The programme timeline's Gantt chart, drawn beside the table that holds the
// same dates in words. The data comes from a json_script tag.
//
// plotly.js reads HTML in the texts it draws, so every label arrives escaped
// by the server (goldenthread.kit.charts.chart_text) and is passed on as it
// is: build no label or hover text here from anything but those texts and dates.
(function () {
  "use strict";
  var source = document.getElementById("programme-gantt");
  var element = document.getElementById("chart-gantt");
  if (!source || !element || typeof Plotly === "undefined") {
    return;
  }
  var bars = JSON.parse(source.textContent);
  if (!bars.length) {
    return;
  }
  var labels = bars.map(function (bar) { return bar.label; });

  function trace(name, key, colour) {
    var kept = bars.filter(function (bar) { return bar[key]; });
    return {
      type: "bar",
      orientation: "h",
      name: name,
      y: kept.map(function (bar) { return bar.label; }),
      base: kept.map(function (bar) { return bar[key][0]; }),
      x: kept.map(function (bar) { return Date.parse(bar[key][1]) - Date.parse(bar[key][0]); }),
      marker: { color: colour },
      hovertemplate: "%{y}<br>" + name + "<extra></extra>"
    };
  }

  var due = bars.filter(function (bar) { return bar.due; });
  var traces = [
    trace("Design", "design", "#5694ca"),
    trace("Implementation", "implementation", "#00703c"),
    {
      type: "scatter",
      mode: "markers",
      name: "Due",
      y: due.map(function (bar) { return bar.label; }),
      x: due.map(function (bar) { return bar.due; }),
      marker: { symbol: "diamond", size: 10, color: "#0b0c0c" },
      hovertemplate: "%{y}<br>Due %{x|%d %b %Y}<extra></extra>"
    }
  ];
  Plotly.newPlot(element, traces, {
    barmode: "overlay",
    height: Math.max(240, 28 * labels.length + 100),
    margin: { t: 20, r: 10, b: 40, l: 260 },
    font: { family: "arial, sans-serif", size: 13, color: "#0b0c0c" },
    legend: { orientation: "h" },
    xaxis: { type: "date" },
    yaxis: { autorange: "reversed", type: "category", categoryorder: "array", categoryarray: labels, automargin: true }
  }, { displayModeBar: false, responsive: true });
}());
