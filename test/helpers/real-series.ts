// The real-data test fixture: which weeks of the sample data scripts/make-real-fixture.ts cut out.
export interface RealSeries {
  /** The sample data's file prefix, which the replay also reads as symbol and market. */
  prefix: "BTCUSDT" | "ETHUSDT-PERP";
  file: string;
  /** First minute (inclusive) and end (exclusive), UTC. */
  from: string;
  to: string;
}

export const REAL_SERIES: readonly RealSeries[] = [
  // Four Monday-to-Monday weeks around the leap day and the February -> March month boundary.
  { prefix: "BTCUSDT", file: "BTCUSDT-1m.candles", from: "2024-02-12T00:00:00Z", to: "2024-03-11T00:00:00Z" },
  // Two weeks of the USD-M perp with the 19 zero-volume maintenance bars of 2023-09-12 08:34-08:52.
  {
    prefix: "ETHUSDT-PERP",
    file: "ETHUSDT-PERP-1m.candles",
    from: "2023-09-04T00:00:00Z",
    to: "2023-09-18T00:00:00Z",
  },
];
