// Puts tfjs in production mode for every part of MoneyMoney that uses it (Worker, trainer, tests), so
// that tfjs keeps its console advice to itself: in Node its CPU backend otherwise prints, on first use,
// a banner recommending tfjs-node (a package that cannot install here), once per process, which is once
// per test file. Imported for its effect, first, by each module that uses tfjs. (A named import, not a
// re-exported namespace: that would defeat tree shaking and put all of tfjs in the Worker bundle.)
import { enableProdMode } from "@tensorflow/tfjs";

enableProdMode();
