// tfjs as the Worker runs it: on the CPU backend, since a Worker has neither WebGL nor WebGPU. The
// backend is selected while this module loads, before anything touches tfjs: left to choose, tfjs first
// tries WebGL and logs its failure with a stack trace ("WebGL is not supported on this device") into
// `wrangler dev` and the Worker's logs (core/models/tf-prod also silences tfjs's console advice). The
// entry point imports this module first.
import "../../core/models/tf-prod";
import { setBackend } from "@tensorflow/tfjs";

// Synchronous for the CPU backend (no async initialisation): selected when this line returns.
void setBackend("cpu");
