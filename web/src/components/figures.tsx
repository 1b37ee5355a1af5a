// Labelled figures in a row that wraps: each number keeps its name beside it at any width.
import type { Figure } from "../lib/figures";

export function Figures({ figures, label }: { figures: Figure[]; label?: string }) {
  return (
    <dl class="figures" aria-label={label}>
      {figures.map((f) => (
        <div key={f.word}>
          <dt>{f.word}</dt>
          <dd class={`num ${f.tone ?? ""}`}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
