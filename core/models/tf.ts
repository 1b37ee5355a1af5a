// tfjs as every part of MoneyMoney uses it (Worker, trainer, tests): in production mode, so that tfjs
// keeps its console advice to itself; in Node its CPU backend otherwise prints a banner on first use
// recommending tfjs-node, a package that cannot install here, once per process (every test file).
import * as tf from "@tensorflow/tfjs";

tf.enableProdMode();

export { tf };
