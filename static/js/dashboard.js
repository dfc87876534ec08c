(function () {
  const data = document.getElementById("sector-data");
  const canvas = document.getElementById("sector-chart");
  if (!data || !canvas || !window.Chart) return;
  const rows = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: rows.map(r => r.sector), datasets: [{ data: rows.map(r => r.count), backgroundColor: "#b71c1c" }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
})();
