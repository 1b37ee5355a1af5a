// Entry point: styles, then the app into #app.
import { render } from "preact";
import { App } from "./app";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/components.css";
import "./styles/forms.css";
import "./styles/feedback.css";

render(<App />, document.getElementById("app")!);
