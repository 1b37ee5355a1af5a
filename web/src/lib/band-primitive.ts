// A series primitive that shades a forecast's prediction interval (lower..upper) behind its line, and
// widens the price scale's autoscale to hold the visible part of it (a band past the candles' range would
// otherwise be cut off at the pane's edge).
import type {
  AutoscaleInfo,
  IChartApi,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  Logical,
  SeriesAttachedParameter,
  SeriesType,
  Time,
  UTCTimestamp,
} from "lightweight-charts";

export interface BandPoint {
  time: number;
  lower: number;
  upper: number;
}

type Target = Parameters<IPrimitivePaneRenderer["draw"]>[0];

const FILL_ALPHA = 0.08;
const EDGE_ALPHA = 0.45;

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function trace(ctx: CanvasRenderingContext2D, points: [number, number][]): void {
  ctx.moveTo(points[0][0], points[0][1]);
  for (let i = 1; i < points.length; i++) ctx.lineTo(points[i][0], points[i][1]);
}

export class BandPrimitive implements ISeriesPrimitive<Time> {
  private chart: IChartApi | null = null;
  private series: ISeriesApi<SeriesType> | null = null;
  private requestUpdate: (() => void) | null = null;
  private points: BandPoint[] = [];
  private readonly views: readonly IPrimitivePaneView[];

  constructor(private readonly color: string) {
    const renderer: IPrimitivePaneRenderer = { draw: () => {}, drawBackground: (t) => this.paint(t) };
    this.views = [{ renderer: () => renderer, zOrder: () => "bottom" }];
  }

  setPoints(points: BandPoint[]): void {
    this.points = points;
    this.requestUpdate?.();
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart as IChartApi;
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.chart = null;
    this.series = null;
    this.requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  /**
   * The band's lowest and highest price among its points in the visible logical range, and the first
   * point on either side of it: the segment to a point just off screen is partly drawn (on 15m the
   * hourly points are four slots apart) and must not leave the scale either.
   */
  autoscaleInfo(start: Logical, end: Logical): AutoscaleInfo | null {
    const chart = this.chart;
    if (!chart || !this.series?.options().visible) return null;
    const scale = chart.timeScale();
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let before: BandPoint | null = null;
    for (const p of this.points) {
      const i = scale.timeToIndex(p.time as UTCTimestamp, false);
      if (i === null) continue;
      if (i < start) {
        before = p;
        continue;
      }
      for (const q of before ? [before, p] : [p]) {
        min = Math.min(min, q.lower);
        max = Math.max(max, q.upper);
      }
      before = null;
      if (i > end) break;
    }
    return min <= max ? { priceRange: { minValue: min, maxValue: max } } : null;
  }

  private paint(target: Target): void {
    const chart = this.chart;
    const series = this.series;
    // A hidden model hides its interval too.
    if (!chart || !series || this.points.length < 2 || !series.options().visible) return;
    const scale = chart.timeScale();
    const upper: [number, number][] = [];
    const lower: [number, number][] = [];
    for (const p of this.points) {
      const x = scale.timeToCoordinate(p.time as UTCTimestamp);
      const yu = series.priceToCoordinate(p.upper);
      const yl = series.priceToCoordinate(p.lower);
      if (x === null || yu === null || yl === null) continue;
      upper.push([x, yu]);
      lower.push([x, yl]);
    }
    if (upper.length < 2) return;
    target.useMediaCoordinateSpace(({ context: ctx }) => {
      ctx.save();
      ctx.beginPath();
      trace(ctx, upper);
      for (let i = lower.length - 1; i >= 0; i--) ctx.lineTo(lower[i][0], lower[i][1]);
      ctx.closePath();
      ctx.fillStyle = withAlpha(this.color, FILL_ALPHA);
      ctx.fill();
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1;
      ctx.strokeStyle = withAlpha(this.color, EDGE_ALPHA);
      for (const edge of [upper, lower]) {
        ctx.beginPath();
        trace(ctx, edge);
        ctx.stroke();
      }
      ctx.restore();
    });
  }
}
