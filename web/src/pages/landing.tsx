// "/": what MoneyMoney does, for whom, and the way in.
import { MODEL_TYPES as MODELS } from "../api-types";
import { HeroArt } from "../components/hero-art";
import { NavBar } from "../components/nav-bar";
import { Link } from "../components/ui";
import { modelLook } from "../lib/models";
import { isSignedIn } from "../session";
import "../styles/landing.css";

// "Four models": the count in words, from the model types, so a new kind changes no copy here.
const COUNT =
  ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight"][MODELS.length] ?? "Several";

const FEATURES = [
  {
    title: "Eight timeframes, one chart",
    text: "From 1-minute to monthly candles with volume, aggregated in UTC from exchange 1-minute data. Scroll back and older history streams in.",
  },
  {
    title: "Forecasts with honest error bars",
    text: "Each model draws its path past the last candle with a prediction interval, and reports its out-of-sample skill against the naive random walk.",
  },
  {
    title: "Signals you can audit",
    text: "Hold until a model beats the random walk significantly; a buy or sell then comes with a calibrated confidence and its reasons, plus a fee-aware backtest against buy-and-hold.",
  },
];

const STEPS = [
  ["Collect", "1-minute candles arrive from the exchange every minute, gaps refilled."],
  ["Train", `${COUNT} models are fitted per instrument and scored on data they never saw.`],
  ["Decide", "Forecasts, signals and statistics refresh as each new candle closes."],
];

export function LandingPage() {
  const signedIn = isSignedIn.value;
  return (
    <>
      <NavBar />
      <main id="main" class="page landing" tabIndex={-1}>
        <div class="hero-wrap">
          <section class="hero">
            <p class="eyebrow">AI trading dashboard · crypto & forex</p>
            <h1 class="hero__title">
              Forecasts with their <span class="gradient-text">error bars</span>, and a signal that waits for
              evidence.
            </h1>
            <p class="hero__lead">
              MoneyMoney charts your instruments in eight timeframes and overlays {COUNT.toLowerCase()}{" "}
              forecasting models with their prediction intervals. A model votes for buy or sell only once it
              beats the random walk on data it never saw; until one does, the signal says hold and gives no
              confidence.
            </p>
            <div class="hero__cta">
              {signedIn ? (
                <Link href="/dashboard" class="btn btn--primary btn--lg">
                  Open the dashboard
                </Link>
              ) : (
                <>
                  <Link href="/auth?tab=signup" class="btn btn--primary btn--lg">
                    Create a free account
                  </Link>
                  <Link href="/auth" class="btn btn--ghost btn--lg">
                    Sign in
                  </Link>
                </>
              )}
            </div>
          </section>
          <HeroArt />
        </div>

        <section class="landing__models" aria-labelledby="models-title">
          <h2 id="models-title" class="section-title">
            {COUNT} models, each scored out of sample
          </h2>
          <ul class="model-grid">
            {MODELS.map((type) => {
              const look = modelLook(type);
              return (
                <li key={type} class="card model-tile" style={{ "--model-color": look.color }}>
                  <span class="model-tile__dot" aria-hidden="true" />
                  <h3>{look.label}</h3>
                  <p>{look.blurb}</p>
                </li>
              );
            })}
          </ul>
          <p class="muted landing__note">
            Every model version carries its mean absolute error, the naive baseline's error on the same
            candles, and its skill: 1 − MAE / naive MAE. A model that cannot beat "price stays where it is"
            says so.
          </p>
        </section>

        <section class="feature-grid" aria-label="Features">
          {FEATURES.map((f) => (
            <article key={f.title} class="card feature">
              <h3>{f.title}</h3>
              <p>{f.text}</p>
            </article>
          ))}
        </section>

        <section class="steps card" aria-labelledby="steps-title">
          <h2 id="steps-title" class="section-title">
            How it works
          </h2>
          <ol class="steps__list">
            {STEPS.map(([title, text], i) => (
              <li key={title}>
                <span class="steps__num">{i + 1}</span>
                <div>
                  <h3>{title}</h3>
                  <p>{text}</p>
                </div>
              </li>
            ))}
          </ol>
        </section>

        <footer class="footer">
          <p>
            Forecasts are statistical estimates, not financial advice. Markets can move against any model.
          </p>
          <p class="muted">
            Charts by{" "}
            <a href="https://www.tradingview.com/" rel="noopener noreferrer" target="_blank">
              TradingView Lightweight Charts™
            </a>
            . Operators: <Link href="/admin">admin console</Link>.
          </p>
        </footer>
      </main>
    </>
  );
}
