// The structure dashboard's charts. The data comes from a json_script tag; every
// chart has a table beside it holding the same figures.
//
// plotly.js reads HTML in the texts it draws (a unit named "<a href=...>" would
// become a live link), so every text arrives escaped by the server
// (goldenthread.kit.charts.chart_text) and is passed on as it is: build no
// label, hover text or title here from anything but those texts and numbers.
(function () {
  "use strict";
  var source = document.getElementById("structure-charts");
  if (!source || typeof Plotly === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var config = { displayModeBar: false, responsive: true };
  var font = { family: "GDS Transport, arial, sans-serif", size: 14, color: "#0b0c0c" };
  var blue = "#1d70b8";
  var green = "#00703c";
  var orange = "#f47738";

  function draw(id, traces, layout) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    layout.font = font;
    layout.margin = layout.margin || { t: 20, r: 10, b: 50, l: 60 };
    Plotly.newPlot(element, traces, layout, config);
  }

  var layers = data.layers.map(function (row) { return "Layer " + row.layer; });
  var layerTraces = [
    { type: "bar", name: "Posts", x: layers, y: data.layers.map(function (r) { return r.posts; }), marker: { color: blue }, offsetgroup: 1 },
    { type: "bar", name: "FTE of posts", x: layers, y: data.layers.map(function (r) { return r.fte; }), marker: { color: green }, offsetgroup: 2 }
  ];
  var layerLayout = { barmode: "group", height: 320, legend: { orientation: "h" }, yaxis: { title: { text: "Posts and FTE of posts" } } };
  // Junior staff are counted in FTE in the layer below the post they report
  // to; they can outnumber the posts by far, so they have an axis of their own.
  var junior = data.layers.some(function (r) { return r.junior_fte > 0; });
  if (junior) {
    layerTraces.push({ type: "bar", name: "FTE of junior staff (right-hand axis)", x: layers, y: data.layers.map(function (r) { return r.junior_fte; }), marker: { color: orange }, yaxis: "y2", offsetgroup: 3 });
    layerLayout.yaxis2 = { title: { text: "FTE of junior staff" }, overlaying: "y", side: "right", rangemode: "tozero" };
    layerLayout.margin = { t: 20, r: 70, b: 50, l: 60 };
  }
  draw("chart-layers", layerTraces, layerLayout);

  draw("chart-spans", [
    { type: "bar", name: "Managers", x: data.spans.map(function (r) { return r.span; }), y: data.spans.map(function (r) { return r.managers; }), marker: { color: blue } }
  ], {
    height: 320,
    xaxis: { title: { text: "Direct reports" }, dtick: 1 },
    // Whole-number ticks (goldenthread.kit.charts.count_axis): no half managers.
    yaxis: Object.assign({ title: { text: "Managers" } }, data.spans_axis),
    shapes: [{
      type: "rect", xref: "x", yref: "paper", x0: data.band[0] - 0.5, x1: data.band[1] + 0.5, y0: 0, y1: 1,
      fillcolor: green, opacity: 0.15, line: { width: 0 }, layer: "below"
    }]
  });

  function tree(id, nodes, kind, branch) {
    draw(id, [{
      type: kind,
      ids: nodes.map(function (n) { return n.id; }),
      labels: nodes.map(function (n) { return n.label; }),
      parents: nodes.map(function (n) { return n.parent; }),
      values: nodes.map(function (n) { return n.value; }),
      branchvalues: branch,
      maxdepth: 3
    }], { height: 480, margin: { t: 10, r: 10, b: 10, l: 10 } });
  }
  tree("chart-units", data.units, "treemap", "remainder");
  tree("chart-line", data.reporting, "icicle", "total");
})();
