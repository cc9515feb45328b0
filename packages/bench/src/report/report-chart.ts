/** One plot of the report: a Vega-Lite chart rendered to SVG. */
export interface ReportChart {
  /** Stable name: the file `plots/<name>.svg`, and `data-chart="<name>"` in report.html. */
  name: string;
  /** What the chart shows, as its heading in the report. */
  title: string;
  /** One line on how to read it. */
  caption: string;
  /** The rendered chart, a standalone SVG document. */
  svg: string;
}

/** A chart the report left out because its data was empty, and why. */
export interface OmittedChart {
  name: string;
  title: string;
  /** Why it was left out, one line: the report states it in the chart's place. */
  reason: string;
}
