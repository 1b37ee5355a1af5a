// The animated starfield behind every page: one canvas, a few hundred dots, ~30 fps, paused when hidden.
import { useEffect, useRef } from "preact/hooks";

const STARS_PER_MEGAPIXEL = 180;
const MAX_STARS = 420;
const FRAME_MS = 33; // ~30 fps is plenty for slow drift and spares laptop batteries
const DRIFT_PX_PER_S = 6;

interface Star {
  x: number;
  y: number;
  r: number;
  depth: number; // 0.2..1: nearer stars are bigger, brighter and drift faster
  phase: number;
  tint: string;
}

const TINTS = ["255,255,255", "255,210,235", "215,195,255", "190,220,255"];

function makeStars(width: number, height: number): Star[] {
  const count = Math.min(MAX_STARS, Math.round(((width * height) / 1e6) * STARS_PER_MEGAPIXEL));
  return Array.from({ length: count }, () => {
    const depth = 0.2 + Math.random() * 0.8;
    return {
      x: Math.random() * width,
      y: Math.random() * height,
      r: 0.3 + depth * depth * 1.2,
      depth,
      phase: Math.random() * Math.PI * 2,
      tint: TINTS[Math.floor(Math.random() * TINTS.length)],
    };
  });
}

export function Starfield() {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
    let stars: Star[] = [];
    let width = 0;
    let height = 0;
    let frame = 0;
    let lastDraw = 0;

    const resize = () => {
      const dpr = Math.min(window.devicePixelRatio || 1, 2);
      // Phones resize the height as the address bar hides; keep the sky then, rebuild on real changes.
      const rebuild = Math.abs(window.innerWidth - width) > 1 || stars.length === 0;
      width = window.innerWidth;
      height = window.innerHeight;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (rebuild) stars = makeStars(width, height);
    };

    const draw = (now: number, dt: number) => {
      ctx.clearRect(0, 0, width, height);
      for (const s of stars) {
        s.y -= DRIFT_PX_PER_S * s.depth * dt;
        if (s.y < -2) {
          s.y = height + 2;
          s.x = Math.random() * width;
        }
        const twinkle = reduced.matches ? 1 : 0.65 + 0.35 * Math.sin(now / 900 + s.phase);
        ctx.fillStyle = `rgba(${s.tint},${(0.25 + 0.6 * s.depth) * twinkle})`;
        ctx.beginPath();
        ctx.arc(s.x, s.y, s.r, 0, Math.PI * 2);
        ctx.fill();
      }
    };

    const loop = (now: number) => {
      frame = requestAnimationFrame(loop);
      const elapsed = now - lastDraw;
      if (elapsed < FRAME_MS) return;
      draw(now, Math.min(elapsed, 100) / 1000);
      lastDraw = now;
    };

    const start = () => {
      cancelAnimationFrame(frame);
      if (reduced.matches || document.hidden) {
        draw(0, 0); // one still frame: no motion for those who asked for none
        return;
      }
      lastDraw = performance.now();
      frame = requestAnimationFrame(loop);
    };

    const onResize = () => {
      resize();
      start();
    };
    resize();
    start();
    window.addEventListener("resize", onResize);
    document.addEventListener("visibilitychange", start);
    reduced.addEventListener("change", start);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("resize", onResize);
      document.removeEventListener("visibilitychange", start);
      reduced.removeEventListener("change", start);
    };
  }, []);

  return (
    <div class="sky" aria-hidden="true">
      <div class="sky__nebula" />
      <canvas ref={canvasRef} class="sky__stars" />
    </div>
  );
}
