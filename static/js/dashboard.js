/* The dashboard's charts (reports/dashboard.html): the areas one level down as bars, and the
 * confirmed service hours of each month.
 *
 * Data comes from a json_script element (no inline script: CSP); clicking a bar opens
 * that area's dashboard, the same link as the table below the chart, which stays the
 * readable (and printable) form of the same figures.
 */
(function () {
  'use strict';
  if (!window.echarts) {
    return;
  }

  // Each [data-chart=kind] element with its data: a bar chart sized for the font mode; `options`
  // gives the axes and series from the data and the font size, `onChart` may add handlers.
  function barCharts(kind, options, onChart) {
    document.querySelectorAll('[data-chart="' + kind + '"]').forEach(function (element) {
      const source = document.getElementById(element.getAttribute('data-chart-source'));
      if (!source) {
        return;
      }
      const data = JSON.parse(source.textContent);
      const fontSize = document.documentElement.classList.contains('yl-large-font') ? 18 : 12;
      const chart = window.echarts.init(element, null, { renderer: 'svg' });
      chart.setOption(Object.assign({
        textStyle: { fontSize: fontSize },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: { fontSize: fontSize } },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true }
      }, options(data, fontSize)));
      if (onChart) {
        onChart(chart, data);
      }
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  barCharts('areas', function (data, fontSize) {
    return {
      xAxis: { type: 'category', data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 40 : 0, fontSize: fontSize } },
      yAxis: [{ type: 'value' }, { type: 'value' }],
      series: [
        { name: data.series[0], type: 'bar', data: data.branches },
        { name: data.series[1], type: 'bar', yAxisIndex: 1, data: data.person_times }
      ]
    };
  }, function (chart, data) {
    chart.on('click', function (params) {
      const link = data.links[params.dataIndex];
      if (link) {
        window.location.href = link;
      }
    });
  });

  // Confirmed service hours by month: one bar a month; the table below it holds the same figures.
  barCharts('hours', function (data, fontSize) {
    return {
      xAxis: { type: 'category', data: data.labels, axisLabel: { interval: 0, fontSize: fontSize } },
      yAxis: { type: 'value' },
      series: [{ name: data.series, type: 'bar', data: data.hours }]
    };
  });
})();
