// tfjs as the Worker runs it: on the CPU backend, since a Worker has neither WebGL nor WebGPU. The
// backend is selected while this module loads, before anything touches tfjs: left to choose, tfjs first
// tries WebGL and logs its failure with a stack trace ("WebGL is not supported on this device") into
// `wrangler dev` and the Worker's logs (core/models/tf also puts tfjs in production mode, which silences
// its console advice). The entry point imports this module first.
import { tf } from "../../core/models/tf";

// Synchronous for the CPU backend (no async initialisation): selected when this line returns.
void tf.setBackend("cpu");

export { tf };
