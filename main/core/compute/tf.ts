// The one place the engine imports TensorFlow.js from, so every module shares one tfjs-core instance.
// tfjs-core registers no gradient functions, and the @tensorflow/tfjs bundle that does also loads
// tfjs-layers, -converter, -data and -webgl, which the engine never uses; the stock gradients come from
// our bundle of them instead (gradients/build.mjs), with the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import './build/stock-gradients.js';

// The cpu backend prints a banner urging tfjs-node on first use; `homegrown info` already explains
// which backend runs and why, so the banner is only noise in every command's output.
const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
if (cpu) cpu.firstUse = false;

export { tf };
