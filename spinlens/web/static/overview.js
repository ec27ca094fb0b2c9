// Overview charts, drawn from /api/stats with the vendored Chart.js (no CDN: works offline).
(function () {
  "use strict";
  var status = document.getElementById("chart-status");
  if (typeof window.Chart === "undefined") {
    if (status) { status.textContent = "Charts could not be drawn; the numbers are in the table below."; }
    return;
  }
  var palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#bab0ac"];

  function bar(canvasId, labels, values, label, options) {
    var canvas = document.getElementById(canvasId);
    if (!canvas) { return null; }
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: values, backgroundColor: "#4e79a7" }] },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
                               plugins: { legend: { display: false } } }, options || {})
    });
  }

  fetch("/api/stats", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (stats) {
      var outlets = stats.outlets || [];
      bar("chart-techniques",
          outlets.map(function (o) { return o.outlet; }),
          outlets.map(function (o) { return o.techniques_per_1000_words; }),
          "Techniques per 1,000 words");
      var sourced = outlets.filter(function (o) { return o.named_source_share !== null; });
      bar("chart-sourcing",
          sourced.map(function (o) { return o.outlet; }),
          sourced.map(function (o) { return Math.round(1000 * o.named_source_share) / 10; }),
          "Named sources (%)",
          { scales: { y: { min: 0, max: 100, title: { display: true, text: "% of attributed statements" } } } });
      var months = stats.narratives_by_month || [];
      var names = [];
      months.forEach(function (m) {
        Object.keys(m.counts).forEach(function (name) { if (names.indexOf(name) < 0) { names.push(name); } });
      });
      names.sort();
      var canvas = document.getElementById("chart-narratives");
      if (canvas && months.length) {
        new window.Chart(canvas, {
          type: "bar",
          data: {
            labels: months.map(function (m) { return m.month || "undated"; }),
            datasets: names.map(function (name, i) {
              return { label: name, data: months.map(function (m) { return m.counts[name] || 0; }),
                       backgroundColor: palette[i % palette.length] };
            })
          },
          options: { responsive: true, maintainAspectRatio: false, animation: false,
                     scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } }
        });
      }
      document.body.setAttribute("data-charts", "drawn");
    })
    .catch(function (error) {
      if (status) { status.textContent = "Charts could not be drawn (" + error.message + "); the numbers are in the table below."; }
    });
})();
