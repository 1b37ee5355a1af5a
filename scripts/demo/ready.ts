// The demo's ready message: its two markets at their prices (written as the dashboard writes them, at
// the market's tick), where to sign in, and what to try first.
import { formatPrice } from "../../core/format";
import { SIM_EDGE_AR, SIM_EDGE_SYMBOL, SIM_SYMBOL } from "../sim/params";

export interface ReadyFacts {
  elapsed: string;
  host: string;
  instruments: { symbol: string; price: number | null; tick_size: number | null }[];
  user: { email: string; password: string };
  admin: { email: string; password: string };
  logs: string;
}

export function readyMessage(f: ReadyFacts): string {
  const priceOf = (symbol: string) => {
    const shown = f.instruments.find((i) => i.symbol === symbol);
    if (!shown) throw new Error(`${symbol} is not visible to the demo user`);
    return formatPrice(shown.price, shown.tick_size);
  };
  return `
MoneyMoney demo ready in ${f.elapsed}: two simulated markets, not real ones
  ${SIM_SYMBOL} at ${priceOf(SIM_SYMBOL)}: nothing to predict (the models should abstain: HOLD, no confidence)
  ${SIM_EDGE_SYMBOL} at ${priceOf(SIM_EDGE_SYMBOL)}: a weak edge (hourly returns AR(1), phi = ${SIM_EDGE_AR}) the models should find
  dashboard  ${f.host}/dashboard     user   ${f.user.email}  password ${f.user.password}
  admin      ${f.host}/admin         admin  ${f.admin.email}  password ${f.admin.password}
Try first:
  1. Sign in at ${f.host}/dashboard as ${f.user.email} and open ${SIM_EDGE_SYMBOL}: its signal says why it holds or trades.
  2. Watch a candle arrive: a new 1m candle closes every minute, the cron tick collects it, and the chart
     and the price move without a reload ("live, last candle … s ago").
  3. Open the console at ${f.host}/admin as ${f.admin.email}: collect more days or train again, and watch
     the jobs' progress live.
Logs: ${f.logs}/*.log. Ctrl-C stops the Worker, the simulator and the trainers; the next \`npm run demo\`
starts from this state.
`;
}
