// How each model is named and coloured everywhere (chart lines, legend, admin tables).

interface ModelLook {
  label: string;
  color: string;
  blurb: string;
}

const MODELS: Record<string, ModelLook> = {
  arima: { label: "ARIMA", color: "#FF4FB0", blurb: "log-price path, order chosen by AIC" },
  garch: { label: "GARCH(1,1)", color: "#B58CFF", blurb: "volatility path by Gaussian MLE" },
  gru_attention: {
    label: "GRU + attention",
    color: "#38BDF8",
    blurb: "recurrent network over recent candles",
  },
  cnn_pattern: { label: "CNN pattern", color: "#FBBF24", blurb: "1-D convolutions over OHLCV windows" },
};

const SPARE_COLORS = ["#34D399", "#F97316", "#A3E635", "#F472B6"];

export function modelLook(type: string, index = 0): ModelLook {
  return (
    MODELS[type] ?? {
      label: type,
      color: SPARE_COLORS[index % SPARE_COLORS.length],
      blurb: "forecasting model",
    }
  );
}

export const UP_COLOR = "#2BD9A0";
export const DOWN_COLOR = "#FF4D6D";
