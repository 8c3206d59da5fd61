// DariRumah: the charts of BKPSDM's recap inbox, drawn from the page's json_script data.
// The table above them carries the same numbers: without JavaScript nothing is lost.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("recap-chart-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var colours = {
      present: "#198754",
      late: "#ffc107",
      absent: "#dc3545",
      excused: "#0dcaf0"
    };
    var bars = document.getElementById("recap-bars");
    if (bars) {
      new window.Chart(bars, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (s) {
            return { label: s.label, data: s.data, backgroundColor: colours[s.key] };
          })
        },
        options: {
          responsive: true,
          indexAxis: data.labels.length > 8 ? "y" : "x",
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }
        }
      });
    }
    var modes = document.getElementById("recap-modes");
    if (modes) {
      new window.Chart(modes, {
        type: "doughnut",
        data: {
          labels: data.modes.map(function (m) { return m.label; }),
          datasets: [{
            data: data.modes.map(function (m) { return m.value; }),
            backgroundColor: ["#0b5394", "#6fa8dc", "#93c47d", "#e69138", "#8e7cc3", "#c27ba0", "#adb5bd"]
          }]
        },
        options: { responsive: true, plugins: { legend: { position: "bottom" } } }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
