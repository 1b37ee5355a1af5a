// The landing page's illustration, labelled as one: candles from a seeded random walk, the models' paths
// inside a widening band, and the signal the product gives until a model earns a vote: HOLD, no
// confidence. No symbol and no BUY: it must not promise what the dashboard, honestly, does not show.
import "../styles/hero-art.css";

const W = 560;
const H = 340;
const CANDLES = 38;
const FUTURE = 12;
const STEP = W / (CANDLES + FUTURE + 2);

/** Small deterministic PRNG (mulberry32) so the picture is identical on every visit. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function walk() {
  const rand = seeded(20240630);
  const bars: { o: number; h: number; l: number; c: number }[] = [];
  let price = 100;
  for (let i = 0; i < CANDLES; i++) {
    const drift = i > 22 ? 0.15 : -0.1;
    const o = price;
    const c = o + (rand() - 0.5 + drift * 0.5) * 5;
    bars.push({ o, c, h: Math.max(o, c) + rand() * 2.2, l: Math.min(o, c) - rand() * 2.2 });
    price = c;
  }
  return bars;
}

export function HeroArt() {
  const bars = walk();
  const lo = Math.min(...bars.map((b) => b.l)) - 14;
  const hi = Math.max(...bars.map((b) => b.h)) + 22;
  const y = (v: number) => H - 30 - ((v - lo) / (hi - lo)) * (H - 60);
  const x = (i: number) => STEP * (i + 1);
  const last = bars.at(-1)!;
  const x0 = x(CANDLES - 1);
  const fan = (spread: number, lift: number) => {
    const top: string[] = [];
    const bottom: string[] = [];
    for (let k = 0; k <= FUTURE; k++) {
      const mid = last.c + lift * k;
      top.push(`${x0 + k * STEP},${y(mid + spread * Math.sqrt(k))}`);
      bottom.unshift(`${x0 + k * STEP},${y(mid - spread * Math.sqrt(k))}`);
    }
    return `M${top.join("L")}L${bottom.join("L")}Z`;
  };
  const line = (lift: number, wave: number) =>
    Array.from(
      { length: FUTURE + 1 },
      (_, k) => `${k ? "L" : "M"}${x0 + k * STEP},${y(last.c + lift * k + wave * Math.sin(k / 2))}`,
    ).join("");
  return (
    <figure class="hero-art card">
      <div class="hero-art__bar" aria-hidden="true">
        <span class="hero-art__sym">Illustration · 1h</span>
        <span class="hero-art__chips">
          <i style={{ "--c": "#FF4FB0" }}>ARIMA</i>
          <i style={{ "--c": "#38BDF8" }}>GRU</i>
          <i style={{ "--c": "#FBBF24" }}>CNN</i>
        </span>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} class="hero-art__svg" aria-hidden="true">
        <defs>
          <linearGradient id="fan" x1="0" x2="1">
            <stop offset="0" stop-color="#E1007A" stop-opacity="0.35" />
            <stop offset="1" stop-color="#8A2BE2" stop-opacity="0.08" />
          </linearGradient>
        </defs>
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1="0" x2={W} y1={H * f} y2={H * f} class="hero-art__grid" />
        ))}
        <line x1={x0} x2={x0} y1="10" y2={H - 20} class="hero-art__now" />
        <path d={fan(3.2, 0)} fill="url(#fan)" />
        <path d={line(0.15, 0.6)} class="hero-art__line" stroke="#FF4FB0" />
        <path d={line(-0.1, -0.8)} class="hero-art__line" stroke="#38BDF8" />
        <path d={line(0.05, 0.3)} class="hero-art__line" stroke="#FBBF24" />
        {bars.map((b, i) => {
          const up = b.c >= b.o;
          return (
            <g key={i} class={up ? "hero-art__up" : "hero-art__down"}>
              <line x1={x(i)} x2={x(i)} y1={y(b.h)} y2={y(b.l)} />
              <rect
                x={x(i) - STEP * 0.32}
                width={STEP * 0.64}
                y={y(Math.max(b.o, b.c))}
                height={Math.max(1.5, Math.abs(y(b.o) - y(b.c)))}
                rx="1"
              />
            </g>
          );
        })}
      </svg>
      <div class="hero-art__signal" aria-hidden="true">
        <span class="hero-art__badge">HOLD</span>
        <span class="hero-art__conf">no model has earned a vote yet · no confidence given</span>
      </div>
      <figcaption class="hero-art__caption">
        An illustration drawn for this page, not market data: the paths overlap and the band is wide, so the
        signal holds, as the dashboard's does until a model beats the random walk out of sample.
      </figcaption>
    </figure>
  );
}
